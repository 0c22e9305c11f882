#include "model/panel_arena.h"

#include <new>

#include "util/error.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace beamscope {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kAlign = 64;

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

}  // namespace

// One reservation. On Linux an anonymous mapping with MAP_NORESERVE: the
// reserved but unwritten part costs address space only.
struct PanelArena::Chunk {
  std::byte* base = nullptr;
  std::size_t size = 0;
  bool mapped = false;

  explicit Chunk(std::size_t bytes) : size(bytes) {
#if defined(__linux__)
    // Over-reserve by a huge page to start on a 2 MiB boundary.
    const std::size_t reserve = bytes + kHugePage;
    void* p = ::mmap(nullptr, reserve, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) {
      auto* raw = static_cast<std::byte*>(p);
      auto* aligned =
          reinterpret_cast<std::byte*>(round_up(reinterpret_cast<std::uintptr_t>(raw), kHugePage));
      if (aligned > raw) ::munmap(raw, static_cast<std::size_t>(aligned - raw));
      const std::size_t after = reserve - static_cast<std::size_t>(aligned - raw) - bytes;
      if (after > 0) ::munmap(aligned + bytes, after);
      base = aligned;
      mapped = true;
#if defined(MADV_HUGEPAGE)
      (void)::madvise(base, size, MADV_HUGEPAGE);  // a hint; fails harmlessly without THP
#endif
      return;
    }
#endif
    base = static_cast<std::byte*>(::operator new (bytes, std::align_val_t{kAlign}));
  }
  ~Chunk() {
#if defined(__linux__)
    if (mapped) {
      if (size > 0) ::munmap(base, size);
      return;
    }
#endif
    ::operator delete (base, std::align_val_t{kAlign});
  }
  // Returns the address space past `keep` bytes (rounded to a huge page).
  void trim(std::size_t keep) {
#if defined(__linux__)
    const std::size_t new_size = round_up(keep, kHugePage);
    if (mapped && new_size < size) {
      ::munmap(base + new_size, size - new_size);
      size = new_size;
    }
#else
    (void)keep;
#endif
  }
};

PanelArena::PanelArena(std::size_t chunk_bytes)
    : chunk_bytes_(round_up(std::max<std::size_t>(chunk_bytes, kHugePage), kHugePage)) {}

PanelArena::~PanelArena() { release_unused_tail(); }

void PanelArena::release_unused_tail() {
  if (chunk_) chunk_->trim(used_);
}

void PanelArena::start_chunk(std::size_t at_least) {
  release_unused_tail();
  chunk_ = std::make_shared<Chunk>(std::max(chunk_bytes_, round_up(at_least, kHugePage)));
  used_ = 0;
}

PanelArena::Block PanelArena::allocate(std::size_t bytes) {
  const std::size_t rounded = round_up(std::max<std::size_t>(bytes, 1), kAlign);
  if (!chunk_ || chunk_->size - used_ < rounded) start_chunk(rounded);
  last_start_ = used_;
  last_bytes_ = rounded;
  used_ += rounded;
  used_total_ += rounded;
  std::byte* data = chunk_->base + last_start_;
  return {std::shared_ptr<void>(chunk_, data), data};
}

void PanelArena::shrink_last(std::size_t bytes) {
  const std::size_t rounded = round_up(std::max<std::size_t>(bytes, 1), kAlign);
  if (rounded > last_bytes_) throw Error("PanelArena: a block cannot grow.");
  used_ = last_start_ + rounded;
  used_total_ -= last_bytes_ - rounded;
  last_bytes_ = rounded;
}

}  // namespace beamscope
