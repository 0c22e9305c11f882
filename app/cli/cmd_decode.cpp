// beamscope-cli decode: runs greedy search, beam search or sampling and
// writes the whole token tree (every candidate, its scores and status) as the
// tree JSON of core/io/README.md.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/sampler_options.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "io/session.h"
#include "model/model_folder.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

DecodeParams read_params(const Args& args) {
  DecodeParams p;
  const std::string strategy = args.get_or("strategy", "greedy");
  if (auto s = parse_strategy(strategy)) {
    p.strategy = *s;
  } else {
    throw Error("Unknown --strategy '" + strategy + "'; use greedy, beam or sample.");
  }
  p.num_beams = args.get_int("num-beams", p.num_beams);
  p.max_new_tokens = args.get_int("max-new-tokens", p.max_new_tokens);
  p.length_penalty = args.get_double("length-penalty", p.length_penalty);
  if (auto early = args.get("early-stopping")) {
    auto mode = parse_early_stopping(*early);
    if (!mode)
      throw Error("Option --early-stopping expects true, false or never, got '" + *early + "'.");
    p.early_stopping = *mode;
  }
  p.num_return_sequences = args.get_int("num-return-sequences", p.num_return_sequences);
  const unsigned long long seed = args.get_u64("seed", p.seed);
  p.seed = seed;
  p.num_samples = args.get_int("num-samples", p.num_samples);
  p.alternatives = args.get_int("alternatives", p.alternatives);
  p.max_nodes = args.get_int("max-nodes", p.max_nodes);
  read_sampler_options(args, p);
  validate_decode_params(p);
  return p;
}

int run_decode(const std::vector<std::string>& argv) {
  std::set<std::string> known{"model",
                              "tokenizer",
                              "strategy",
                              "num-beams",
                              "max-new-tokens",
                              "length-penalty",
                              "early-stopping",
                              "num-return-sequences",
                              "seed",
                              "num-samples",
                              "alternatives",
                              "max-nodes",
                              "out"};
  known.insert(kPromptOptions.begin(), kPromptOptions.end());
  known.insert(kSamplerOptions.begin(), kSamplerOptions.end());
  const Args args(argv, known);
  const DecodeParams params = read_params(args);

  const std::filesystem::path model_dir = args.get_or("model", bundled_model_dir().string());
  LoadedModel loaded = load_model(model_dir, {}, args.get_or("tokenizer", ""));
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
     "[--model DIR] (--prompt T | --prompt-ids 1,2,3) [--strategy greedy|beam|sample]\n"
     "       [--max-new-tokens N (20)] [--alternatives N (5)] [--max-nodes N (200000)]\n"
     "       [--out tree.json]\n"
     "  beam:   [--num-beams N (1)] [--length-penalty L (1.0)] [--early-stopping true|false|never "
     "(false)]\n"
     "          [--num-return-sequences N (1)]\n"
     "  sample: [--seed S (0)] [--num-samples N (1)] [--temperature T (1.0)] [--top-k K (0 = "
     "off)]\n"
     "          [--top-p P (1.0)] [--min-p P (0.0)] [--typical-p P (1.0)] [--epsilon-cutoff E "
     "(0.0)]\n"
     "          [--order hf|llamacpp|stage,stage,...]\n"
     "  all:    [--repetition-penalty R (1.0)] [--no-repeat-ngram-size N (0)]\n"
     "  Semantics follow Hugging Face generate: greedy and beam search apply only the\n"
     "  penalties (beam search on log-softmax scores, HF's vectorised _beam_search);\n"
     "  sampling applies the whole chain. sequences[].score is HF's sequences_scores\n"
     "  for beam search (sum of processed log-probs / length^length_penalty) and the\n"
     "  sum of processed log-probs for greedy and sampling. Sampling draws with\n"
     "  mt19937_64(seed), so a seed gives the same tree every time. Writes the tree\n"
     "  JSON to --out, or to stdout without it. --model defaults to the bundled model.\n"
     "  A run whose next step could grow the tree past --max-nodes stops there: the\n"
     "  tree so far is written, the cap is named on stderr and the exit code is 3.",
     &run_decode});

}  // namespace
}  // namespace beamscope::cli
