#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

namespace beamscope {

// A whole file mapped read-only into memory. The OS pages it in on demand, so
// opening a multi-GB model costs nothing until its bytes are read, and the
// pages are shared with the page cache instead of copied.
class MappedFile {
 public:
  // Throws beamscope::Error naming the file if it cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Empty span for an empty file (mmap cannot map zero bytes).
  std::span<const std::byte> bytes() const { return {data_, size_}; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace beamscope
