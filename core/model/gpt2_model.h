#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/aligned_buffer.h"
#include "model/gpt2_config.h"
#include "model/gpt2_weights.h"
#include "model/language_model.h"
#include "util/progress.h"

namespace beamscope {

class Gpt2KvCache;

// GPT-2 forward pass on the CPU with Eigen. Config and weights are fixed at
// construction; the scratch buffers below are the only mutable state of the
// model itself, so one instance must be driven from one thread at a time
// (prefill/decode are non-const for that reason). Everything per sequence
// lives in Gpt2KvCache.
class Gpt2Model final : public LanguageModel {
 public:
  Gpt2Model(const Gpt2Config& config, Gpt2Weights weights, std::string path = {});

  const ModelInfo& info() const override { return info_; }
  const Gpt2Config& config() const { return config_; }
  std::unique_ptr<KvCache> new_cache() const override;
  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override;
  void prefill_all_logits(KvCache& cache, std::span<const std::int32_t> tokens,
                          std::span<float> logits) override;
  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override;

 private:
  // One row of a forward pass: a token, the cache it extends and its position.
  struct Row {
    Gpt2KvCache* cache;
    std::int32_t token;
    int position;
  };
  // Runs all rows through the network in one pass over the weights, then
  // writes logits for rows [first_logit_row, rows.size()) to `logits`.
  void forward(std::span<const Row> rows, std::size_t first_logit_row, std::span<float> logits);
  // Shared by prefill and prefill_all_logits: `all_logits` picks whether
  // every position's logits or only the last one's are written.
  void prefill_rows(KvCache& cache, std::span<const std::int32_t> tokens, std::span<float> logits,
                    bool all_logits);
  Gpt2KvCache& as_gpt2_cache(KvCache& cache) const;
  void check_token(std::int32_t token) const;

  // Reusable buffers, grown to the largest batch seen and then kept, so the
  // steady state allocates nothing per step (tests/core/model/
  // steady_state_alloc_test.cpp counts mallocs). What still allocates: a
  // batch or prompt longer than any before (scratch grows once), a KV cache
  // crossing its capacity (doubling, in 64-position chunks: O(log P) times
  // per sequence), new_cache() and clone(), and the message of a thrown Error.
  struct Scratch {
    FloatBuffer x;          // [T, C]   residual stream
    FloatBuffer h;          // [T, C]   layer-norm output
    FloatBuffer qkv;        // [T, 3C]
    FloatBuffer attn;       // [T, C]   attention output (heads concatenated)
    FloatBuffer mlp;        // [T, F]
    FloatBuffer scores;     // [H, P]   attention weights of every head
    std::vector<Row> rows;  // [T]
  };

  Gpt2Config config_;
  // As loaded, less the head's [V, C] copy: that lives on transposed in
  // head_t_. A tied model's wte is that copy too, so it is dropped and token
  // embeddings are read as columns of head_t_ (C loads per token).
  Gpt2Weights weights_;
  bool tied_head_ = true;
  // The output head stored [C, V], so logits for a few rows are the same
  // row-panel product as every other layer (x W with many weight rows
  // streamed side by side); stored [V, C] it needed one dot product per
  // vocabulary row and a few beams cost 1.7x one sequence on the head alone.
  FloatBuffer head_t_;
  ModelInfo info_;
  Scratch scratch_;
};

// Loads config.json + model.safetensors from a Hugging Face GPT-2 folder (no
// tokenizer). Errors are beamscope::Error naming the file and the problem.
std::unique_ptr<Gpt2Model> load_gpt2_model(const std::filesystem::path& dir,
                                           const ProgressFn& progress = {});

}  // namespace beamscope
