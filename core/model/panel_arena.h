#pragma once

#include <cstddef>
#include <memory>

namespace beamscope {

// Where a loader packs a model's weight matrices: one large reservation of
// address space, handed out front to back, so the packed weights are written
// once into memory that nothing else touched before.
//
// Why: on a fresh page the kernel first writes zeros (and on a virtual
// machine that handed its free pages back to the host, it first gets the
// page back): a load that packs each matrix into its own block and then
// copies all of them into one block touches three times the model's size of
// fresh memory, and that, not the packing, was most of a load (a 500 MB
// GPT-2: 1.5 GB of fresh pages, 0.6 s to many seconds of kernel time here).
// In an arena each matrix is packed in place, a matrix that narrows to
// 16-bit floats gives its tail back to the next one (those pages are reused,
// not fresh), and the reservation is on huge pages throughout.
//
// Blocks stay valid while anything holds their owner; the arena itself may
// be dropped once the model is built.
class PanelArena {
 public:
  // Address space is reserved `chunk_bytes` at a time (a larger request
  // gets a chunk of its own size); only the pages written cost memory.
  explicit PanelArena(std::size_t chunk_bytes = std::size_t{1} << 30);
  ~PanelArena();
  PanelArena(const PanelArena&) = delete;
  PanelArena& operator=(const PanelArena&) = delete;

  struct Block {
    std::shared_ptr<void> owner;  // keeps the chunk mapped
    std::byte* data = nullptr;    // 64-byte aligned
  };
  // `bytes` of uninitialised storage.
  Block allocate(std::size_t bytes);
  // The block allocate() returned last needs only its first `bytes`: the
  // rest goes to the next allocation.
  void shrink_last(std::size_t bytes);

  // Bytes handed out and still in use (for tests and the model's summary).
  std::size_t used() const { return used_total_; }

 private:
  struct Chunk;
  void start_chunk(std::size_t at_least);
  void release_unused_tail();

  std::size_t chunk_bytes_;
  std::shared_ptr<Chunk> chunk_;
  std::size_t used_ = 0;        // in chunk_
  std::size_t last_start_ = 0;  // offset of the last block in chunk_
  std::size_t last_bytes_ = 0;
  std::size_t used_total_ = 0;
};

}  // namespace beamscope
