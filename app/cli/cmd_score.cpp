// beamscope-cli score: how well a model predicts a text, in the units the
// bundled model's training log reports (bits per byte).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "model/model_folder.h"
#include "model/text_score.h"
#include "remote/remote_loader.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

int run_score(const std::vector<std::string>& argv) {
  const Args args(argv, {"model", "tokenizer", "text-file"});
  const std::filesystem::path text_path = args.require("text-file");
  const std::filesystem::path model_dir = args.get_or("model", bundled_model_dir().string());
  if (remote::is_server_address(model_dir.string())) {
    throw Error(
        "score needs the log-prob of every token of the text, and a server gives only "
        "its top N per step; score with a local model.");
  }
  const std::string text = read_file(text_path);
  LoadedModel loaded = load_model(model_dir, {}, args.get_or("tokenizer", ""));
  // Scoring starts each window from one end-of-text id: the first listed.
  std::optional<std::int32_t> eos;
  if (!loaded.info.eos_ids.empty()) eos = loaded.info.eos_ids.front();
  if (!eos) eos = loaded.tokenizer->token_id("<|endoftext|>");
  if (!eos) {
    throw Error(model_dir.string() +
                " defines no eos_token_id and no <|endoftext|> token, which scoring starts from.");
  }
  const TextScore score = score_text(*loaded.model, *loaded.tokenizer, *eos, text);
  const nlohmann::json out = {{"tokens", score.tokens},
                              {"total_logprob", score.total_logprob},
                              {"bits_per_byte", score.bits_per_byte},
                              {"bytes", score.bytes},
                              {"file_bytes", score.file_bytes},
                              {"eos_id", *eos},
                              {"n_positions", loaded.model->info().context_length}};
  std::cout << out.dump() << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"score", "log-probability and bits per byte of a text under a model",
     "[--model DIR] --text-file F\n"
     "  Scores every token of F: ids = [EOS] + encode(F), read in windows of the\n"
     "  model's context length. Prints {\"tokens\", \"total_logprob\" (natural log),\n"
     "  \"bits_per_byte\", \"bytes\" (UTF-8 bytes without <|endoftext|> markers), ...}.",
     &run_score});

}  // namespace
}  // namespace beamscope::cli
