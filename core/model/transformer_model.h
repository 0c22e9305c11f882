#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/aligned_buffer.h"
#include "model/kv_page_pool.h"
#include "model/language_model.h"
#include "model/transformer_config.h"
#include "model/transformer_weights.h"

namespace beamscope {

class TransformerKvCache;

// The one forward pass of every architecture (GPT-2, Llama, Mistral, Qwen,
// Gemma, GPT-NeoX, llama2.c), driven by a TransformerConfig. Config and
// weights are fixed at construction; the scratch buffers are the only
// mutable state of the model itself, so one instance must be driven from one
// thread at a time (prefill/decode are non-const for that reason).
// Everything per sequence lives in TransformerKvCache.
class TransformerModel : public LanguageModel {
 public:
  // `path` names the source in messages and ModelInfo.
  TransformerModel(TransformerConfig config, TransformerWeights weights, std::string path = {});

  const ModelInfo& info() const override { return info_; }
  const TransformerConfig& transformer_config() const { return config_; }
  std::unique_ptr<KvCache> new_cache() const override;
  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override;
  void prefill_all_logits(KvCache& cache, std::span<const std::int32_t> tokens,
                          std::span<float> logits) override;
  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override;

 protected:
  ModelInfo info_;

 private:
  // One row of a forward pass: a token, the cache it extends and its position.
  struct Row {
    TransformerKvCache* cache;
    std::int32_t token;
    int position;
  };
  // Runs all rows through the network in one pass over the weights, then
  // writes logits for rows [first_logit_row, rows.size()) to `logits`.
  void forward(std::span<const Row> rows, std::size_t first_logit_row, std::span<float> logits);
  void attention(int layer, std::span<const Row> rows);
  // down(act(...)) of h for T rows into `dest` (+= when accumulate).
  void mlp(const TransformerLayerWeights& w, float* h, Eigen::Index T, float* dest,
           bool accumulate);
  void prefill_rows(KvCache& cache, std::span<const std::int32_t> tokens, std::span<float> logits,
                    bool all_logits);
  TransformerKvCache& own_cache(KvCache& cache) const;
  void check_token(std::int32_t token) const;

  // Reusable buffers, grown to the largest batch seen and then kept, so the
  // steady state allocates nothing per step (tests/core/model/
  // steady_state_alloc_test.cpp counts mallocs). What still allocates: a
  // batch or prompt longer than any before (scratch grows once), a KV cache
  // crossing its slot table's capacity (doubling, in 64-position chunks:
  // O(log P) times per sequence), the page pool growing (doubling blocks), new_cache() and clone(),
  // and the message of a thrown Error.
  struct Scratch {
    FloatBuffer x;                      // [T, C]   residual stream
    FloatBuffer h;                      // [T, C]   normalised input of a sub-layer
    FloatBuffer qkv;                    // [T, (H + 2KV) d]
    FloatBuffer attn;                   // [T, H d] attention output (heads concatenated)
    FloatBuffer branch;                 // [T, C]   a sub-layer's output before it joins x
    FloatBuffer mlp;                    // [T, F] or [T, 2F] (gate | up)
    FloatBuffer gated;                  // [T, F]   act(gate) * up
    FloatBuffer scores;                 // [threads][H, P] attention weights of every head
    std::size_t scores_per_thread = 0;  // floats of one thread's block
    int scores_threads = 1;             // blocks in `scores`
    FloatBuffer cos, sin;               // [ropes][T, rot/2] for this pass's positions
    std::vector<Row> rows;              // [T]
  };

  TransformerConfig config_;
  TransformerWeights weights_;
  std::vector<std::vector<float>> inv_freq_;  // per RopeSpec, [rot/2]
  Scratch scratch_;
  std::shared_ptr<KvPagePool> kv_pool_;  // the pages of every cache new_cache() makes
};

}  // namespace beamscope
