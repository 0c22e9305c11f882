#pragma once

// Counts heap allocations and frees for the "nothing allocated per step"
// tests: malloc and free are interposed for the test binary that includes
// this (glibc: forwarded to __libc_malloc / __libc_free; operator new /
// delete and Eigen's aligned allocations end up there) and counted while
// g_counting is set. Include it from ONE file of a test binary: it defines
// the C library's malloc and free.
#include <atomic>
#include <cstddef>

namespace beamscope::test {
inline std::atomic<bool> g_counting{false};
inline std::atomic<long> g_mallocs{0};
inline std::atomic<long> g_frees{0};
}  // namespace beamscope::test

// AddressSanitizer owns malloc itself; interposing there would mix heaps.
// GCC announces it with __SANITIZE_ADDRESS__, clang with __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BEAMSCOPE_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(BEAMSCOPE_UNDER_ASAN)
#define BEAMSCOPE_COUNTS_MALLOC 0
#else
#define BEAMSCOPE_COUNTS_MALLOC 1
extern "C" void* __libc_malloc(std::size_t size);
extern "C" void __libc_free(void* p);
extern "C" void* malloc(std::size_t size) {
  using namespace beamscope::test;
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
extern "C" void free(void* p) {
  using namespace beamscope::test;
  if (p && g_counting.load(std::memory_order_relaxed))
    g_frees.fetch_add(1, std::memory_order_relaxed);
  __libc_free(p);
}
#endif
