// Interposes glibc's allocation entry points for the bench binary and counts
// calls while a bench asks. glibc does the work (__libc_malloc,
// __libc_memalign); counting is one relaxed atomic load, so timings are
// unaffected. free, calloc and realloc stay glibc's own: they need no count
// (calloc/realloc growth would show up as a size change the benches avoid).
#include "heap_counter.h"

#include <atomic>
#include <cerrno>
#include <cstddef>

extern "C" void* __libc_malloc(std::size_t size);
extern "C" void* __libc_memalign(std::size_t alignment, std::size_t size);

namespace {
std::atomic<bool> counting{false};
std::atomic<std::int64_t> allocations{0};

void count() {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

extern "C" void* malloc(std::size_t size) {
  count();
  return __libc_malloc(size);
}

// libstdc++'s aligned operator new (FloatBuffer's allocator) uses these.
extern "C" void* aligned_alloc(std::size_t alignment, std::size_t size) {
  count();
  return __libc_memalign(alignment, size);
}

extern "C" int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  count();
  void* p = __libc_memalign(alignment, size);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

namespace beamscope::bench {
void start_counting_allocations() {
  allocations.store(0);
  counting.store(true);
}
std::int64_t stop_counting_allocations() {
  counting.store(false);
  return allocations.load();
}
}  // namespace beamscope::bench
