// Save Session / decode --out go through save_session: a save that fails
// part-way (here: the file-size limit, standing in for a full disk) must keep
// the previous session loadable and unchanged.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>

#include "io/session.h"
#include "util/error.h"

namespace beamscope {
namespace {

namespace fs = std::filesystem;

Session small_session(const std::string& prompt) {
  Session s;
  s.model.path = "models/tiny";
  s.model.architecture = "gpt2";
  s.model.vocab_size = 259;
  s.prompt_text = prompt;
  s.prompt_ids = {1, 2, 3};
  return s;
}

TEST(SessionSave, FailedSaveKeepsThePreviousSession) {
  const fs::path dir = fs::temp_directory_path() / ("beamscope-save-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "work.beamscope.json";
  const Session old_session = small_session("The cat");
  save_session(old_session, file);

  Session big = small_session(std::string(2 << 20, 'z'));  // ~2 MiB of prompt text
  rlimit saved{};
  getrlimit(RLIMIT_FSIZE, &saved);
  auto* old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limit = saved;
  limit.rlim_cur = 64 * 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
  bool threw = false;
  try {
    save_session(big, file);
  } catch (const Error& e) {
    threw = true;
    EXPECT_NE(std::string(e.what()).find("work.beamscope.json"), std::string::npos) << e.what();
  }
  setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_TRUE(threw);
  EXPECT_EQ(load_session(file), old_session);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace beamscope
