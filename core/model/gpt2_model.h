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
#include "model/panel_matrix.h"
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

  // The four weight matrices of one block, in the layout the product kernel
  // streams (see PanelMatrix).
  struct LayerMatrices {
    PanelMatrix attn;       // [C, 3C]
    PanelMatrix attn_proj;  // [C, C]
    PanelMatrix mlp_fc;     // [C, F]
    PanelMatrix mlp_proj;   // [F, C]
  };

  Gpt2Config config_;
  // As loaded, less every matrix: those live on repacked in layers_ and
  // head_ (the row-major copies are dropped once packed, so the weights are
  // held once). What stays here: embeddings (wpe; wte only when the head is
  // untied), biases and layer-norm parameters.
  Gpt2Weights weights_;
  bool tied_head_ = true;
  std::vector<LayerMatrices> layers_;
  // The output head as a [C, V] matrix, so logits are the same product as
  // every other layer. A tied model's token embeddings are its columns.
  PanelMatrix head_;
  ModelInfo info_;
  Scratch scratch_;
};

// Loads config.json + model.safetensors from a Hugging Face GPT-2 folder (no
// tokenizer). Errors are beamscope::Error naming the file and the problem.
std::unique_ptr<Gpt2Model> load_gpt2_model(const std::filesystem::path& dir,
                                           const ProgressFn& progress = {});

}  // namespace beamscope
