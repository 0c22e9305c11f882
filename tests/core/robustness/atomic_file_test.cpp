// "Never lose work": write_file_atomically (used by Save Session, decode --out
// and every export) must leave the previous file intact when a write fails,
// and readers must never see a half-written file.
//
// How failures are produced as root (which ignores permissions):
//   - a write that runs out of room: RLIMIT_FSIZE caps the file size, so the
//     write fails part-way with EFBIG exactly as it would on a full disk
//     (SIGXFSZ ignored so the process gets the error instead of dying);
//   - a target whose folder is a regular file (ENOTDIR);
//   - a target that is a non-empty folder (rename fails after the write).
// A real ENOSPC needs a small filesystem (mount, loop device), which the CI
// container does not allow; the code path is the same failed fwrite/fflush.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "util/atomic_file.h"
#include "util/error.h"

namespace beamscope {
namespace {

namespace fs = std::filesystem;

class TempFolder {
 public:
  TempFolder() {
    path_ = fs::temp_directory_path() /
            ("beamscope-atomic-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  // Everything in the folder except `keep`: leftovers of a failed write.
  std::vector<std::string> others(const std::string& keep) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) {
      if (e.path().filename() != keep) names.push_back(e.path().filename().string());
    }
    return names;
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// Caps the size of any file this process writes, for its lifetime.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = nullptr;
};

TEST(AtomicFile, WritesAndReplaces) {
  TempFolder dir;
  const fs::path file = dir.path() / "session.json";
  write_file_atomically(file, "first");
  EXPECT_EQ(read_file(file), "first");
  write_file_atomically(file, std::string(100000, 'x'));
  EXPECT_EQ(read_file(file), std::string(100000, 'x'));
  write_file_atomically(file, "");
  EXPECT_EQ(read_file(file), "");
  EXPECT_TRUE(dir.others("session.json").empty());
}

TEST(AtomicFile, WriteThatRunsOutOfRoomKeepsTheOldFile) {
  TempFolder dir;
  const fs::path file = dir.path() / "tree.json";
  const std::string old_contents = "{\"the\": \"old tree\"}";
  write_file_atomically(file, old_contents);
  try {
    const FileSizeLimit limit(4096);
    write_file_atomically(file, std::string(1 << 20, 'n'));  // 1 MiB > 4 KiB
    FAIL() << "the write should have failed";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("unchanged"), std::string::npos) << message;
  }
  EXPECT_EQ(read_file(file), old_contents);
  EXPECT_TRUE(dir.others("tree.json").empty()) << "a temporary file was left behind";
}

TEST(AtomicFile, FailedFirstWriteLeavesNothing) {
  TempFolder dir;
  const fs::path file = dir.path() / "new.json";
  {
    const FileSizeLimit limit(100);
    EXPECT_THROW(write_file_atomically(file, std::string(10000, 'n')), Error);
  }
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(dir.others("new.json").empty());
}

TEST(AtomicFile, FolderThatIsAFile) {
  TempFolder dir;
  write_file_atomically(dir.path() / "plain", "x");
  const fs::path file = dir.path() / "plain" / "tree.json";
  try {
    write_file_atomically(file, "data");
    FAIL() << "the write should have failed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(dir.path() / "plain"), "x");
}

TEST(AtomicFile, TargetIsAFolder) {
  TempFolder dir;
  const fs::path target = dir.path() / "out";
  fs::create_directories(target / "inside");
  EXPECT_THROW(write_file_atomically(target, "data"), Error);
  EXPECT_TRUE(fs::is_directory(target / "inside"));
  EXPECT_TRUE(dir.others("out").empty()) << "a temporary file was left behind";
}

TEST(AtomicFile, ReadMissingFileNamesIt) {
  TempFolder dir;
  const fs::path file = dir.path() / "missing.json";
  try {
    (void)read_file(file);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.json"), std::string::npos) << e.what();
  }
}

// A reader polling the file while a writer replaces it over and over only
// ever sees one whole version: never a mix, never a short or empty file.
TEST(AtomicFile, ReadersNeverSeeAHalfWrittenFile) {
  TempFolder dir;
  const fs::path file = dir.path() / "live.json";
  const std::string a(200000, 'a'), b(300000, 'b');
  write_file_atomically(file, a);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) write_file_atomically(file, i % 2 ? a : b);
    done = true;
  });
  int reads = 0, torn = 0;
  while (!done) {
    const std::string seen = read_file(file);
    ++reads;
    if (seen != a && seen != b) ++torn;
  }
  writer.join();
  EXPECT_EQ(torn, 0) << "of " << reads << " reads";
  EXPECT_GT(reads, 0);
  EXPECT_TRUE(dir.others("live.json").empty());
}

}  // namespace
}  // namespace beamscope
