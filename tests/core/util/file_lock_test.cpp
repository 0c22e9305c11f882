// FileLock against other holders: a second lock in this process, another
// process (forked, including one that dies holding it), and Python's
// fcntl.flock — the call huggingface_hub's filelock makes on the same path.
#include "util/file_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "common/require_reference.h"
#include "util/error.h"

namespace beamscope {
namespace {

namespace fs = std::filesystem;

fs::path fresh_lock_path() {
  const fs::path dir =
      fs::temp_directory_path() / ("beamscope_lock_" + std::to_string(std::random_device{}()));
  fs::remove_all(dir);
  return dir / "sub" / "blob.lock";  // the folders do not exist yet
}

TEST(FileLock, OneHolderAtATimeAndReleasedOnDestruction) {
  const fs::path path = fresh_lock_path();
  {
    std::optional<FileLock> first = FileLock::try_lock(path);
    ASSERT_TRUE(first.has_value());
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(FileLock::try_lock(path).has_value());
    FileLock moved = std::move(*first);
    first.reset();  // the moved-from lock releases nothing
    EXPECT_FALSE(FileLock::try_lock(path).has_value());
  }
  EXPECT_TRUE(FileLock::try_lock(path).has_value());
  fs::remove_all(path.parent_path().parent_path());
}

// A child process takes the lock, says so through a pipe, and either waits
// to be told to release it or dies holding it (no destructor runs).
void child_holds_lock(const fs::path& path, bool crash) {
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::optional<FileLock> lock = FileLock::try_lock(path);
    const char ok = lock ? 'y' : 'n';
    if (write(ready[1], &ok, 1) != 1) _exit(2);
    if (crash) _exit(3);
    char c;
    if (read(done[0], &c, 1) != 1) _exit(2);
    _exit(0);
  }
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, 'y') << "the child could not take the lock";
  if (!crash) {
    EXPECT_FALSE(FileLock::try_lock(path).has_value()) << "another process holds it";
    const char c = 'x';
    ASSERT_EQ(write(done[1], &c, 1), 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), crash ? 3 : 0);
  for (int fd : {ready[0], ready[1], done[0], done[1]}) close(fd);
  EXPECT_TRUE(FileLock::try_lock(path).has_value()) << "free once the other process is gone";
}

TEST(FileLock, AnotherProcessHoldsItUntilItLetsGo) {
  const fs::path path = fresh_lock_path();
  child_holds_lock(path, false);
  fs::remove_all(path.parent_path().parent_path());
}

TEST(FileLock, AHolderThatDiesLeavesNoStaleLock) {
  const fs::path path = fresh_lock_path();
  child_holds_lock(path, true);
  fs::remove_all(path.parent_path().parent_path());
}

// Exit status of Python trying fcntl.flock(LOCK_EX | LOCK_NB) on `path`:
// 0 took it, 1 refused (someone holds it), anything else: no Python.
int python_try_lock(const fs::path& path) {
  const std::string command =
      "/usr/bin/python3 -c \"import fcntl, sys\n"
      "f = open(sys.argv[1], 'a')\n"
      "try:\n    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
      "except BlockingIOError:\n    sys.exit(1)\" '" +
      path.string() + "'";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(FileLock, ExcludesPythonsFlockAsHuggingfaceHubTakesIt) {
  const fs::path path = fresh_lock_path();
  {
    std::optional<FileLock> lock = FileLock::try_lock(path);
    ASSERT_TRUE(lock.has_value());
    const int held = python_try_lock(path);
    if (held != 0 && held != 1) BEAMSCOPE_REFERENCE_MISSING("/usr/bin/python3 did not run");
    EXPECT_EQ(held, 1) << "Python took the lock Beamscope holds";
  }
  EXPECT_EQ(python_try_lock(path), 0) << "Python could not take the released lock";
  fs::remove_all(path.parent_path().parent_path());
}

TEST(FileLock, AnUncreatableFileIsOneSentence) {
  try {
    FileLock::try_lock("/proc/beamscope-no-such/dir/x.lock");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/beamscope-no-such/dir/x.lock"), std::string::npos);
  }
}

}  // namespace
}  // namespace beamscope
