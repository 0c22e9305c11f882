// beamscope-cli next: the most likely next tokens after a prompt, with their
// raw log-probability and their probability after the sampler chain.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/model_option.h"
#include "cli/param_options.h"
#include "cli/prompt_options.h"
#include "decoding/next_token.h"
#include "decoding/top_n_note.h"
#include "model/model_folder.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

// The options that shape one next-token distribution.
constexpr ParamGroups kChainGroup{ParamGroup::Chain};

std::string next_options_help() { return param_options_help(kChainGroup); }

int run_next(const std::vector<std::string>& argv) {
  std::set<std::string> known = param_option_names(kChainGroup);
  known.insert(kModelOptions.begin(), kModelOptions.end());
  known.insert("top");
  known.insert(kPromptOptions.begin(), kPromptOptions.end());
  const Args args(argv, known);

  DecodeParams params;
  params.strategy = StrategyKind::Sample;  // `next` shows the sampling chain
  read_param_options(args, kChainGroup, params);
  validate_decode_params(params);
  const int top = args.get_int("top", 10);
  if (top < 1) throw Error("Option --top must be at least 1 (got " + std::to_string(top) + ").");

  const LoadedModel loaded = load_model_option(args);
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
  nlohmann::ordered_json out = {{"prompt_ids", prompt}, {"top", rows}};
  if (loaded.model->info().top_logprobs > 0) {  // a server: say what is approximate
    NextTokenDistribution next;
    next.known = static_cast<int>(std::count_if(logits.begin(), logits.end(), [](float x) {
      return x != -std::numeric_limits<float>::infinity();
    }));
    double mass = 0.0;
    for (float x : logits) mass += std::exp(static_cast<double>(x));
    next.unknown_mass = std::max(0.0, 1.0 - mass);
    out["known"] = next.known;
    out["unknown_mass"] = next.unknown_mass;
    out["note"] = top_n_stage_note(next, "prob");
  }
  std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"next", "the most likely next tokens after a prompt",
     "[--model DIR|URL] [--tokenizer PATH] (--prompt T | --prompt-ids 1,2,3) [--top N]\n"
     "       [parameters]\n"
     "  Prints {\"prompt_ids\": [...], \"top\": [{\"id\", \"token\", \"logprob\", \"prob\"}, "
     "...]}:\n"
     "  the N (default 10) most likely tokens by raw log-softmax (logprob), best first,\n"
     "  and each one's probability after the sampler chain (prob; 0 where a stage removed\n"
     "  it). The hf order is temperature, top_k, top_p, min_p, typical_p, epsilon; the\n"
     "  llamacpp order is top_k, typical_p, top_p, min_p, epsilon, temperature; penalties\n"
     "  (over the prompt) come first in both. --model defaults to the bundled model.\n"
     "  On a server (--model URL, options as for decode) only its top --top-n tokens\n"
     "  are known: the chain runs over them and the output adds \"known\",\n"
     "  \"unknown_mass\" and a \"note\" saying so.",
     &run_next, &next_options_help});

}  // namespace
}  // namespace beamscope::cli
