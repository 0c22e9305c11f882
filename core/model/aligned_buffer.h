#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace beamscope {

// Storage of at least 64-byte alignment. Blocks of 2 MiB or more (weight
// matrices, KV caches) are aligned to 2 MiB and marked for transparent huge
// pages where the OS has them: a decode step streams every weight once, and
// with 4 KiB pages the TLB misses cost ~10% of that stream (measured: 22.8 ->
// 24.9 GB/s for GPT-2 small's weights). free_float_storage must be given the
// size that allocate_float_storage was.
void* allocate_float_storage(std::size_t bytes);
void free_float_storage(void* p, std::size_t bytes) noexcept;

// Allocator giving 64-byte (cache line, AVX-512 register) aligned storage.
// Why it matters beyond speed: Eigen's kernels peel a different number of
// leading elements depending on a pointer's alignment, which changes the
// float summation order. With every weight, cache and scratch buffer aligned
// the same way, the same model and input give bit-identical logits no matter
// where the allocator happened to put things.
template <typename T>
struct CacheLineAllocator {
  using value_type = T;

  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) { return static_cast<T*>(allocate_float_storage(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_float_storage(p, n * sizeof(T)); }

  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const noexcept {
    return true;
  }
};

// The float storage of weights and scratch.
using FloatBuffer = std::vector<float, CacheLineAllocator<float>>;

// The same storage, but growing it leaves the new elements uninitialised
// instead of zeroing them. For KV caches: every fork of a beam clones one,
// and zeroing its spare capacity (only to copy the valid rows over it) was
// most of a clone's cost, page faults included (bench/tree_ui_bench's big
// tree). Only for buffers whose elements are always written before read.
template <typename T>
struct UninitializedAllocator : CacheLineAllocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <typename U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}

  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;  // default-initialisation: no zeroing
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using UninitializedFloatBuffer = std::vector<float, UninitializedAllocator<float>>;

}  // namespace beamscope
