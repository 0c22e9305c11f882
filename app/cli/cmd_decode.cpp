// beamscope-cli decode: runs greedy search, beam search or sampling and
// writes the whole token tree (every candidate, its scores and status) as the
// tree JSON of core/io/README.md. Its options are the parameter table's
// (cli/param_options.h).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/model_option.h"
#include "cli/param_options.h"
#include "cli/prompt_options.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "io/session.h"
#include "model/model_folder.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

// Every parameter group: decode runs the whole strategy.
constexpr ParamGroups kAllGroups{ParamGroup::Run, ParamGroup::Beam, ParamGroup::Sampling,
                                 ParamGroup::Chain};

std::string decode_options_help() { return param_options_help(kAllGroups); }

int run_decode(const std::vector<std::string>& argv) {
  std::set<std::string> known = param_option_names(kAllGroups);
  known.insert(kModelOptions.begin(), kModelOptions.end());
  known.insert("out");
  known.insert(kPromptOptions.begin(), kPromptOptions.end());
  const Args args(argv, known);
  DecodeParams params;
  read_param_options(args, kAllGroups, params);
  validate_decode_params(params);

  LoadedModel loaded = load_model_option(args);
  Session session;
  session.prompt_ids = read_prompt(args, *loaded.tokenizer, session.prompt_text);
  session.params = params;
  session.model = loaded.info;

  LogitsCache cache;
  Decoder decoder(*loaded.model, *loaded.tokenizer, loaded.info.eos_ids, cache);
  DecodeResult result = decoder.run(session.prompt_ids, params);
  session.tree = std::move(result.tree);

  if (auto out = args.get("out")) {
    save_session(session, *out);
  } else {
    std::cout << session_to_json(session).dump(1, ' ', false,
                                               nlohmann::json::error_handler_t::replace)
              << "\n";
  }
  // A capped run still writes its tree (it is valid up to the cap), but says
  // so and exits non-zero: a script must not take it for the whole answer.
  if (result.capped) {
    std::cerr << node_cap_message(params.max_nodes) << "\n";
    return 3;
  }
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"decode", "run greedy, beam search or sampling and write the token tree",
     "[--model DIR|URL] [--tokenizer PATH] (--prompt T | --prompt-ids 1,2,3) [--out tree.json]\n"
     "       [--server-model NAME] [--api-key-env NAME] [--top-n N]\n"
     "       [parameters]\n"
     "  Semantics follow Hugging Face generate: greedy and beam search apply only the\n"
     "  penalties (beam search on log-softmax scores, HF's vectorised _beam_search);\n"
     "  sampling applies the whole chain. sequences[].score is HF's sequences_scores\n"
     "  for beam search (sum of processed log-probs / length^length_penalty) and the\n"
     "  sum of processed log-probs for greedy and sampling. Sampling draws with\n"
     "  mt19937_64(seed), so a seed gives the same tree every time. Writes the tree\n"
     "  JSON to --out, or to stdout without it. --model defaults to the bundled model.\n"
     "  A run whose next step could grow the tree past --max-nodes stops there: the\n"
     "  tree so far is written, the cap is named on stderr and the exit code is 3.\n"
     "  --model http://host:port (or https://host/v1) decodes on a server (vLLM,\n"
     "  llama.cpp's llama-server, any OpenAI-compatible /v1/completions) from its top\n"
     "  --top-n log-probs per step (default 20), with the served model's tokenizer\n"
     "  folder as --tokenizer; the API key is read from the variable --api-key-env\n"
     "  names (default OPENAI_API_KEY).",
     &run_decode, &decode_options_help});

}  // namespace
}  // namespace beamscope::cli
