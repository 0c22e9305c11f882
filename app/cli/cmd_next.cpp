// beamscope-cli next: the most likely next tokens after a prompt, with their
// raw log-probability and their probability after the sampler chain.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/param_options.h"
#include "cli/prompt_options.h"
#include "decoding/next_token.h"
#include "model/model_folder.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

// The options that shape one next-token distribution.
constexpr ParamGroups kChainGroup{ParamGroup::Chain};

std::string next_options_help() { return param_options_help(kChainGroup); }

int run_next(const std::vector<std::string>& argv) {
  std::set<std::string> known = param_option_names(kChainGroup);
  known.insert({"model", "tokenizer", "top"});
  known.insert(kPromptOptions.begin(), kPromptOptions.end());
  const Args args(argv, known);

  DecodeParams params;
  params.strategy = StrategyKind::Sample;  // `next` shows the sampling chain
  read_param_options(args, kChainGroup, params);
  validate_decode_params(params);
  const int top = args.get_int("top", 10);
  if (top < 1) throw Error("Option --top must be at least 1 (got " + std::to_string(top) + ").");

  const LoadedModel loaded = load_model(args.get_or("model", bundled_model_dir().string()), {},
                                        args.get_or("tokenizer", ""));
  std::string prompt_text;
  const std::vector<std::int32_t> prompt = read_prompt(args, *loaded.tokenizer, prompt_text);
  const ModelInfo& info = loaded.info;
  for (std::int32_t id : prompt) {
    if (id >= info.vocab_size) {
      throw Error("Prompt token id " + std::to_string(id) +
                  " is outside the model's vocabulary of " + std::to_string(info.vocab_size) +
                  " tokens.");
    }
  }

  auto cache = loaded.model->new_cache();
  std::vector<float> logits(static_cast<std::size_t>(info.vocab_size));  // [vocab]
  loaded.model->prefill(*cache, prompt, logits);

  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const NextTokenEntry& e : next_token_table(logits, prompt, params, top)) {
    const std::string bytes =
        e.id < loaded.tokenizer->vocab_size() ? loaded.tokenizer->token_bytes(e.id) : "";
    rows.push_back(
        {{"id", e.id}, {"token", display_bytes(bytes)}, {"logprob", e.logprob}, {"prob", e.prob}});
  }
  const nlohmann::ordered_json out = {{"prompt_ids", prompt}, {"top", rows}};
  std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"next", "the most likely next tokens after a prompt",
     "[--model DIR] [--tokenizer PATH] (--prompt T | --prompt-ids 1,2,3) [--top N]\n"
     "       [parameters]\n"
     "  Prints {\"prompt_ids\": [...], \"top\": [{\"id\", \"token\", \"logprob\", \"prob\"}, "
     "...]}:\n"
     "  the N (default 10) most likely tokens by raw log-softmax (logprob), best first,\n"
     "  and each one's probability after the sampler chain (prob; 0 where a stage removed\n"
     "  it). The hf order is temperature, top_k, top_p, min_p, typical_p, epsilon; the\n"
     "  llamacpp order is top_k, typical_p, top_p, min_p, epsilon, temperature; penalties\n"
     "  (over the prompt) come first in both. --model defaults to the bundled model.",
     &run_next, &next_options_help});

}  // namespace
}  // namespace beamscope::cli
