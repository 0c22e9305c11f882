#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "model/kv_cache.h"
#include "model/model_info.h"

namespace beamscope {

// A causal language model. Config and immutable weights live in the model; all
// per-sequence state lives in KvCache objects, so one model serves any number
// of sequences (beams, samples, what-if branches).
//
// Logits are raw (before softmax), `vocab_size` floats per sequence.
class LanguageModel {
 public:
  virtual ~LanguageModel() = default;

  virtual const ModelInfo& info() const = 0;

  // An empty cache for one sequence.
  virtual std::unique_ptr<KvCache> new_cache() const = 0;

  // Feeds `tokens` after what `cache` already holds, using matrix-matrix
  // products over all of them at once, and writes the logits of the last
  // position to `logits` [vocab_size]. Throws beamscope::Error when the
  // sequence would exceed the context length or a token id is out of range.
  virtual void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
                       std::span<float> logits) = 0;

  // Like prefill, but writes the logits of every fed position (for scoring
  // text): logits[i*vocab_size, (i+1)*vocab_size) predicts the token after
  // tokens[i]; logits.size() == tokens.size() * vocab_size. The default feeds
  // one token at a time; models override it with one batched pass.
  virtual void prefill_all_logits(KvCache& cache, std::span<const std::int32_t> tokens,
                                  std::span<float> logits) {
    const std::size_t vocab = static_cast<std::size_t>(info().vocab_size);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      prefill(cache, tokens.subspan(i, 1), logits.subspan(i * vocab, vocab));
    }
  }

  // One decode step for several sequences in a single pass over the weights:
  // appends tokens[i] to *caches[i] and writes its next-token logits to
  // logits[i*vocab_size, (i+1)*vocab_size). caches.size() == tokens.size().
  virtual void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
                      std::span<float> logits) = 0;
};

}  // namespace beamscope
