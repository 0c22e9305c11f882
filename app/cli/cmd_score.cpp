// beamscope-cli score: how well a model predicts a text, in the units the
// bundled model's training log reports (bits per byte).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/model_option.h"
#include "model/model_folder.h"
#include "model/text_score.h"
#include "remote/remote_score.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

int run_score(const std::vector<std::string>& argv) {
  std::set<std::string> options = kModelOptions;
  options.insert("text-file");
  const Args args(argv, options);
  const std::filesystem::path text_path = args.require("text-file");
  const std::filesystem::path model_dir = args.get_or("model", bundled_model_dir().string());
  const std::string text = read_file(text_path);
  LoadedModel loaded = load_model_option(args);
  // Scoring starts each window from one end-of-text id: the first listed.
  std::optional<std::int32_t> eos;
  if (!loaded.info.eos_ids.empty()) eos = loaded.info.eos_ids.front();
  if (!eos) eos = loaded.tokenizer->token_id("<|endoftext|>");
  if (!eos) {
    throw Error(model_dir.string() +
                " defines no eos_token_id and no <|endoftext|> token, which scoring starts from.");
  }
  nlohmann::json out;
  TextScore score;
  if (auto* remote = dynamic_cast<remote::RemoteModel*>(loaded.model.get())) {
    const remote::RemoteTextScore r =
        remote::score_text_on_server(*remote, *loaded.tokenizer, *eos, text);
    score = r.score;
    out = {{"method", r.method}, {"window", r.window}, {"requests", r.requests}};
  } else {
    score = score_text(*loaded.model, *loaded.tokenizer, *eos, text);
  }
  out.update({{"tokens", score.tokens},
              {"total_logprob", score.total_logprob},
              {"bits_per_byte", score.bits_per_byte},
              {"bytes", score.bytes},
              {"file_bytes", score.file_bytes},
              {"eos_id", *eos},
              {"n_positions", loaded.model->info().context_length}});
  std::cout << out.dump() << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"score", "log-probability and bits per byte of a text under a model",
     "[--model DIR|URL] --text-file F\n"
     "  Scores every token of F: ids = [EOS] + encode(F), read in windows of the\n"
     "  model's context length. Prints {\"tokens\", \"total_logprob\" (natural log),\n"
     "  \"bits_per_byte\", \"bytes\" (UTF-8 bytes without <|endoftext|> markers), ...}.\n"
     "  On a server (options as for decode) the prompt log-probs it gives (echo,\n"
     "  vLLM's prompt_logprobs), else its top --top-n per prefix; adds \"method\",\n"
     "  \"window\" and \"requests\". A token outside a top N is an error, never a guess.",
     &run_score});

}  // namespace
}  // namespace beamscope::cli
