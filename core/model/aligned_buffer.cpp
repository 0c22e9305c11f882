#include "model/aligned_buffer.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace beamscope {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::align_val_t kCacheLine{64};
constexpr std::align_val_t kHugePageAlignment{kHugePage};

std::align_val_t alignment_for(std::size_t bytes) {
  return bytes >= kHugePage ? kHugePageAlignment : kCacheLine;
}

}  // namespace

void* allocate_float_storage(std::size_t bytes) {
  void* p = ::operator new(bytes, alignment_for(bytes));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // Only a hint: without THP (or with it off) the call fails and nothing
  // changes, so its result is ignored.
  if (bytes >= kHugePage) (void)::madvise(p, bytes, MADV_HUGEPAGE);
#endif
  return p;
}

void free_float_storage(void* p, std::size_t bytes) noexcept {
  ::operator delete(p, alignment_for(bytes));
}

}  // namespace beamscope
