#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "model/kv_cache.h"
#include "model/kv_page_pool.h"

namespace beamscope {

// Keys and values of one sequence, as a table of slots in its model's
// KvPagePool: position p's layer-l key row (W = KV heads x head_dim floats;
// kv head g occupies columns [g*d, (g+1)*d)) is key_row(l, p), its value row
// value_row(l, p). Positions [0, length) are valid.
//
// clone() shares every slot (a beam that branches, a what-if, N samples of
// one prompt: no keys or values are copied), and since a slot is written
// once, when its position is first computed, a shared slot never changes.
// A clone that grows takes fresh slots for its new positions.
class TransformerKvCache final : public KvCache {
 public:
  // A cache with a pool of its own (tests, tools).
  TransformerKvCache(int n_layer, int width, int max_positions);
  TransformerKvCache(std::shared_ptr<KvPagePool> pool, int max_positions);
  ~TransformerKvCache() override;
  TransformerKvCache(const TransformerKvCache&) = delete;
  TransformerKvCache& operator=(const TransformerKvCache&) = delete;

  int length() const override { return length_; }
  std::unique_ptr<KvCache> clone() const override;
  void truncate(int new_length) override;
  // Bytes of the slots this cache refers to, shared ones included.
  std::size_t bytes() const override;
  const void* storage() const override { return pool_.get(); }
  std::size_t storage_bytes() const override { return pool_->bytes_in_use(); }

  int n_layer() const { return pool_->n_layer(); }
  int width() const { return pool_->width(); }
  int max_positions() const { return max_positions_; }
  const KvPagePool& pool() const { return *pool_; }

  // Takes slots for positions [slots held, positions) (keeps the valid
  // ones). Throws beamscope::Error if that exceeds the context length.
  void reserve(int positions);
  // Declares positions [0, new_length) valid after the model wrote them.
  void set_length(int new_length);

  float* key_row(int layer, int position) { return rows_[position] + layer * layer_stride_; }
  float* value_row(int layer, int position) { return key_row(layer, position) + key_to_value_; }
  // Every position's layer-0 key row; attention adds the layer and K/V
  // offsets of pool().
  const float* const* rows() const { return rows_.data(); }

 private:
  // Keeps the slot table growing in chunks, so that a decode step rarely
  // reallocates it (O(log P) times per sequence).
  void reserve_table(std::size_t n);

  static constexpr std::size_t kChunk = 64;

  std::shared_ptr<KvPagePool> pool_;
  int max_positions_;
  std::ptrdiff_t layer_stride_, key_to_value_;
  int length_ = 0;
  std::vector<std::uint32_t> slots_;  // [positions held]
  std::vector<float*> rows_;          // [positions held] layer-0 key rows
};

}  // namespace beamscope
