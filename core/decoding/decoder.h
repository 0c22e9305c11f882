#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "decoding/decode_params.h"
#include "decoding/token_tree.h"

namespace beamscope {

class LanguageModel;
class Tokenizer;
class LogitsCache;
class CachedLogitsSource;

// Called after every decoding step with the tree so far; return false to
// cancel (the run then stops after the current step and returns the partial
// tree, with `cancelled` set in the result).
using StepFn = std::function<bool(const TokenTree& tree, int step)>;

struct DecodeResult {
  TokenTree tree;
  bool cancelled = false;
  // The run stopped early because its next step could have grown the tree
  // past params.max_nodes; `tree` is the (valid) tree up to that step.
  bool capped = false;
  int model_calls = 0;  // forward passes actually run (cache misses)
};

// The sentence front ends show for a capped run.
std::string node_cap_message(int max_nodes);

// Runs a strategy over a prompt and records every decision in a TokenTree.
// Logits come through the LogitsCache, so re-running with other parameters
// never runs the model for a prefix already seen; the decoder also keeps the
// KV caches of the prefixes it ran, so extending a known prefix costs one
// decode step, and the misses of one step (beams, samples) share one batched
// forward pass.
//
// Semantics: see greedy_search.cpp, beam_search.cpp and sample_search.cpp
// (Hugging Face `generate`; `sequences[i].score` is HF's sequences_scores for
// beam search and the sum of the processed log-probs for greedy/sampling).
// Sampling is reproducible: the same seed, parameters and model give the
// same tree.
//
// Thread-safety: a Decoder (and its LogitsCache) must be used from one thread
// at a time; the GUI runs it on its single decoding worker thread.
class Decoder {
 public:
  // `eos_ids`: every token that ends a sequence (generation_config.json's
  // eos_token_id, one id or several); empty = none.
  Decoder(LanguageModel& model, const Tokenizer& tokenizer, std::vector<std::int32_t> eos_ids,
          LogitsCache& cache);
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  DecodeResult run(std::span<const std::int32_t> prompt_ids, const DecodeParams& params,
                   const StepFn& on_step = {});

  // "What if": appends `token_id` under `node` (marked forced; an existing
  // child is reused) and runs the strategy on from there, adding the new
  // branch to a copy of `tree`. The branch behaves like `generate` called with
  // the prompt extended by the path to the forced token: its budget is
  // max_new_tokens minus the forced node's step, and scores and length
  // penalties count from after the forced token. The result's `sequences` are
  // the branch's answers (token_ids/text cover the whole generated part); the
  // earlier answers keep their `returned` status in the tree.
  DecodeResult force(const TokenTree& tree, std::span<const std::int32_t> prompt_ids, int node,
                     std::int32_t token_id, const DecodeParams& params, const StepFn& on_step = {});

 private:
  LanguageModel& model_;
  const Tokenizer& tokenizer_;
  std::vector<std::int32_t> eos_ids_;
  LogitsCache& cache_;
  std::unique_ptr<CachedLogitsSource> logits_source_;
};

}  // namespace beamscope
