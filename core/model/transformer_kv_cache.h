#pragma once

#include <memory>
#include <vector>

#include "model/aligned_buffer.h"
#include "model/kv_cache.h"

namespace beamscope {

// Keys and values of one sequence: per layer, K and V are row-major
// [capacity, W] (W = width = KV heads x head_dim; kv head g occupies columns
// [g*d, (g+1)*d)). Rows
// [0, length) are valid. Capacity grows in chunks, doubling, up to the
// model's context length, so a long generation reallocates O(log P) times.
class TransformerKvCache final : public KvCache {
 public:
  TransformerKvCache(int n_layer, int width, int max_positions);

  int length() const override { return length_; }
  std::unique_ptr<KvCache> clone() const override;
  void truncate(int new_length) override;
  std::size_t bytes() const override;

  int n_layer() const { return n_layer_; }
  int width() const { return width_; }
  int max_positions() const { return max_positions_; }
  int capacity() const { return capacity_; }

  // Makes room for `positions` rows (keeps the valid ones). Throws
  // beamscope::Error if that exceeds the context length.
  void reserve(int positions);
  // Declares rows [0, new_length) valid after the model wrote them.
  void set_length(int new_length);

  float* keys(int layer) { return keys_[layer].data(); }      // [capacity, W]
  float* values(int layer) { return values_[layer].data(); }  // [capacity, W]
  const float* keys(int layer) const { return keys_[layer].data(); }
  const float* values(int layer) const { return values_[layer].data(); }

 private:
  static constexpr int kChunk = 64;  // positions per allocation step

  int n_layer_, width_, max_positions_;
  int length_ = 0;
  int capacity_ = 0;
  // Rows past length_ are never read, so growing them is not zeroed.
  std::vector<UninitializedFloatBuffer> keys_, values_;  // [n_layer][capacity * W]
};

}  // namespace beamscope
