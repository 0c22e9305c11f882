#pragma once

#include <filesystem>
#include <optional>

namespace beamscope {

// An exclusive advisory lock on a file (flock(2)), held while the object
// lives and released when it is destroyed or the process ends (so a crashed
// holder never leaves a stale lock). huggingface_hub's `filelock` takes the
// same kind of lock, so two processes that lock the same path — two
// Beamscopes, or Beamscope and Python — exclude each other.
class FileLock {
 public:
  // Creates the file (and its folder) if needed and takes the lock if nobody
  // holds it; nullopt while someone else does. Throws Error when the file
  // cannot be created or locked at all.
  static std::optional<FileLock> try_lock(const std::filesystem::path& path);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace beamscope
