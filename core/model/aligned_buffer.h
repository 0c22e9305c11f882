#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace beamscope {

// Allocator giving 64-byte (cache line, AVX-512 register) aligned storage.
// Why it matters beyond speed: Eigen's kernels peel a different number of
// leading elements depending on a pointer's alignment, which changes the
// float summation order. With every weight, cache and scratch buffer aligned
// the same way, the same model and input give bit-identical logits no matter
// where the allocator happened to put things.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};

  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlignment); }

  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const noexcept {
    return true;
  }
};

// The float storage of weights, KV caches and scratch.
using FloatBuffer = std::vector<float, CacheLineAllocator<float>>;

}  // namespace beamscope
