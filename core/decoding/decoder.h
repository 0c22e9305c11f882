#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "decoding/decode_params.h"
#include "decoding/token_tree.h"

namespace beamscope {

class LanguageModel;
class Tokenizer;
class LogitsCache;

// Called after every decoding step with the tree so far; return false to
// cancel (the run then stops after the current step and returns the partial
// tree, with `cancelled` set in the result).
using StepFn = std::function<bool(const TokenTree& tree, int step)>;

struct DecodeResult {
  TokenTree tree;
  bool cancelled = false;
  int model_calls = 0;  // forward passes actually run (cache misses)
};

// Runs a strategy over a prompt and records every decision in a TokenTree.
// Logits come through the LogitsCache, so re-running with other parameters
// never runs the model for a prefix already seen.
class Decoder {
 public:
  Decoder(LanguageModel& model, const Tokenizer& tokenizer,
          std::optional<std::int32_t> eos_id, LogitsCache& cache);

  DecodeResult run(std::span<const std::int32_t> prompt_ids,
                   const DecodeParams& params, const StepFn& on_step = {});

  // "What if": appends `token_id` under `node` (marked forced) and runs the
  // strategy on from there, adding the new branch to `tree`. The branch's
  // remaining budget is max_new_tokens minus the node's step.
  DecodeResult force(const TokenTree& tree, std::span<const std::int32_t> prompt_ids,
                     int node, std::int32_t token_id, const DecodeParams& params,
                     const StepFn& on_step = {});

 private:
  LanguageModel& model_;
  const Tokenizer& tokenizer_;
  std::optional<std::int32_t> eos_id_;
  LogitsCache& cache_;
};

}  // namespace beamscope
