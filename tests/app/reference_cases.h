#pragma once

// The cases a reference script writes once per test binary: random models,
// their expected answers and a cases.json listing them, in a fresh folder of
// the temp directory that the suite removes when it ends. The GGUF, llama.cpp
// oracle and model-family suites set themselves up this way.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "app/reference_json.h"

namespace beamscope::test {

struct ReferenceCases {
  // Why the reference could not run ("" when it could): the suite's tests
  // report it through BEAMSCOPE_REFERENCE_MISSING.
  std::string missing;
  std::filesystem::path root;  // empty until make_root()
  nlohmann::json cases;        // root/cases.json, after load()

  // An empty folder `beamscope-<tag>-<pid>` in the temp directory (the pid
  // keeps parallel CTest processes of one binary apart).
  void make_root(const std::string& tag) {
    root = std::filesystem::temp_directory_path() /
           ("beamscope-" + tag + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
  }
  // Runs `command 'root'` (a script that writes into the folder).
  ::testing::AssertionResult write(const std::string& command) const {
    const std::string full = command + " '" + root.string() + "'";
    if (std::system(full.c_str()) == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "reference script failed: " << full;
  }
  // `BEAMSCOPE_PYTHON tests/data/SCRIPT 'root'`.
  ::testing::AssertionResult write_with_python(const std::string& script) const {
    return write(std::string(BEAMSCOPE_PYTHON) + " '" + BEAMSCOPE_TEST_DATA_DIR + "/" + script +
                 "'");
  }
  void load() { cases = read_json(root / "cases.json"); }
  // A file of case `c`: root/<name><suffix>.
  std::filesystem::path file(const nlohmann::json& c, const std::string& suffix) const {
    return root / (c["name"].get<std::string>() + suffix);
  }
  void remove() {
    if (!root.empty()) std::filesystem::remove_all(root);
  }
};

}  // namespace beamscope::test
