#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace beamscope {

// A full token sequence (prompt + generated) used as a cache key.
using TokenPrefix = std::vector<std::int32_t>;

// FNV-1a over the ids: cheap, and good enough for hash-map buckets.
struct TokenPrefixHash {
  std::size_t operator()(const TokenPrefix& prefix) const noexcept {
    std::uint64_t h = 1469598103934665603ull;
    for (std::int32_t id : prefix) {
      h ^= static_cast<std::uint32_t>(id);
      h *= 1099511628211ull;
    }
    return static_cast<std::size_t>(h);
  }
};

}  // namespace beamscope
