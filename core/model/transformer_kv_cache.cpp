#include "model/transformer_kv_cache.h"

#include <algorithm>
#include <string>

#include "util/error.h"

namespace beamscope {

TransformerKvCache::TransformerKvCache(int n_layer, int width, int max_positions)
    : n_layer_(n_layer),
      width_(width),
      max_positions_(max_positions),
      keys_(n_layer),
      values_(n_layer) {}

std::unique_ptr<KvCache> TransformerKvCache::clone() const {
  auto copy = std::make_unique<TransformerKvCache>(n_layer_, width_, max_positions_);
  copy->reserve(length_);
  // Only the valid rows: a beam forked early should not pay for the parent's
  // spare capacity.
  const std::size_t n = static_cast<std::size_t>(length_) * width_;
  for (int l = 0; l < n_layer_; ++l) {
    std::copy_n(keys_[l].data(), n, copy->keys_[l].data());
    std::copy_n(values_[l].data(), n, copy->values_[l].data());
  }
  copy->length_ = length_;
  return copy;
}

void TransformerKvCache::truncate(int new_length) {
  if (new_length < 0 || new_length > length_) {
    throw Error("Cannot truncate a KV cache of " + std::to_string(length_) + " positions to " +
                std::to_string(new_length) + ".");
  }
  length_ = new_length;
}

std::size_t TransformerKvCache::bytes() const {
  return 2 * static_cast<std::size_t>(n_layer_) * capacity_ * width_ * sizeof(float);
}

void TransformerKvCache::reserve(int positions) {
  if (positions > max_positions_) {
    throw Error("The sequence would be " + std::to_string(positions) +
                " tokens long, but the model's context length is " +
                std::to_string(max_positions_) + " tokens.");
  }
  if (positions <= capacity_) return;
  int grown = std::max(positions, 2 * capacity_);
  grown = (grown + kChunk - 1) / kChunk * kChunk;
  grown = std::min(grown, max_positions_);
  const std::size_t keep = static_cast<std::size_t>(length_) * width_;
  for (int l = 0; l < n_layer_; ++l) {
    for (auto* buffers : {&keys_, &values_}) {
      UninitializedFloatBuffer bigger(static_cast<std::size_t>(grown) * width_);
      std::copy_n((*buffers)[l].data(), keep, bigger.data());
      (*buffers)[l] = std::move(bigger);
    }
  }
  capacity_ = grown;
}

void TransformerKvCache::set_length(int new_length) {
  if (new_length < 0 || new_length > capacity_) {
    throw Error("KV cache length " + std::to_string(new_length) + " exceeds its capacity " +
                std::to_string(capacity_) + ".");
  }
  length_ = new_length;
}

}  // namespace beamscope
