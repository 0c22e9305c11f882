#include "model/transformer_kv_cache.h"

#include <string>

#include "util/error.h"

namespace beamscope {

TransformerKvCache::TransformerKvCache(int n_layer, int width, int max_positions)
    : TransformerKvCache(std::make_shared<KvPagePool>(n_layer, width), max_positions) {}

TransformerKvCache::TransformerKvCache(std::shared_ptr<KvPagePool> pool, int max_positions)
    : pool_(std::move(pool)),
      max_positions_(max_positions),
      layer_stride_(pool_->layer_stride()),
      key_to_value_(pool_->key_to_value()) {}

TransformerKvCache::~TransformerKvCache() { pool_->release(slots_); }

std::unique_ptr<KvCache> TransformerKvCache::clone() const {
  auto copy = std::make_unique<TransformerKvCache>(pool_, max_positions_);
  // Only the valid positions: slots reserved past them belong to this cache.
  const auto n = static_cast<std::size_t>(length_);
  copy->reserve_table(n);
  copy->slots_.assign(slots_.begin(), slots_.begin() + length_);
  copy->rows_.assign(rows_.begin(), rows_.begin() + length_);
  pool_->retain(copy->slots_);
  copy->length_ = length_;
  return copy;
}

void TransformerKvCache::truncate(int new_length) {
  if (new_length < 0 || new_length > length_) {
    throw Error("Cannot truncate a KV cache of " + std::to_string(length_) + " positions to " +
                std::to_string(new_length) + ".");
  }
  const auto keep = static_cast<std::size_t>(new_length);
  pool_->release(std::span(slots_).subspan(keep));
  slots_.resize(keep);
  rows_.resize(keep);
  length_ = new_length;
}

std::size_t TransformerKvCache::bytes() const { return slots_.size() * pool_->slot_bytes(); }

void TransformerKvCache::reserve_table(std::size_t n) {
  if (n <= slots_.capacity()) return;
  const std::size_t grown = (std::max(n, 2 * slots_.capacity()) + kChunk - 1) / kChunk * kChunk;
  slots_.reserve(grown);
  rows_.reserve(grown);
}

void TransformerKvCache::reserve(int positions) {
  if (positions > max_positions_) {
    throw Error("The sequence would be " + std::to_string(positions) +
                " tokens long, but the model's context length is " +
                std::to_string(max_positions_) + " tokens.");
  }
  const auto held = static_cast<int>(slots_.size());
  if (positions <= held) return;
  reserve_table(static_cast<std::size_t>(positions));
  pool_->acquire(positions - held, slots_, rows_);
}

void TransformerKvCache::set_length(int new_length) {
  if (new_length < 0 || new_length > static_cast<int>(slots_.size())) {
    throw Error("KV cache length " + std::to_string(new_length) + " exceeds the " +
                std::to_string(slots_.size()) + " positions it holds.");
  }
  length_ = new_length;
}

}  // namespace beamscope
