#pragma once

// The fixture of the bad-inputs catalogue (bad_inputs_cli_test.cpp: broken
// model folders and hostile files; bad_parameters_cli_test.cpp: odd prompts
// and edge-case parameters): a valid tiny GPT-2 folder built per test, copies
// of it to break, and the refusal checks both files share.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli_test_util.h"
#include "common/tiny_model_folder.h"

namespace beamscope::test {
// Internal to each test file that includes it (two copies are fine).
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The tiny model folder and its writers: common/tiny_model_folder.h.

// ---- checks -----------------------------------------------------------------

// One clear sentence: one line, ends with a full stop, names every keyword,
// and is not an escaped exception (which would read "Internal error: ..." or
// carry a library's text).
void expect_refused(const CliResult& r, const std::vector<std::string>& keywords) {
  EXPECT_NE(r.exit_code, 0) << "stdout: " << r.out;
  EXPECT_LT(r.exit_code, 128) << "the CLI died from a signal; stderr: " << r.err;
  EXPECT_EQ(r.out, "") << "stdout must stay empty on an error";
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.back(), '\n');
  const std::string sentence = r.err.substr(0, r.err.size() - 1);
  EXPECT_EQ(sentence.find('\n'), std::string::npos) << "more than one line: " << r.err;
  ASSERT_FALSE(sentence.empty());
  EXPECT_EQ(sentence.back(), '.') << r.err;
  EXPECT_LT(sentence.size(), 400u) << r.err;
  for (const char* noise : {"Internal error", "[json.exception", "terminate", "what()",
                            "AddressSanitizer", "runtime error"}) {
    EXPECT_EQ(sentence.find(noise), std::string::npos) << r.err;
  }
  for (const auto& k : keywords)
    EXPECT_NE(sentence.find(k), std::string::npos) << "'" << k << "' missing in: " << r.err;
}

class BadInputsCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("beamscope-bad-inputs-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    write_model_folder(root_ / "good", tiny_config(), tiny_tensors(tiny_config()));
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static fs::path good() { return root_ / "good"; }
  // A copy of the good folder, changed by `mutate`.
  static fs::path variant(const std::string& name,
                          const std::function<void(const fs::path&)>& mutate) {
    const fs::path dir = root_ / name;
    fs::remove_all(dir);
    fs::copy(good(), dir);
    mutate(dir);
    return dir;
  }
  static CliResult next(const fs::path& model, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"next", "--model", model.string()};
    if (extra.empty()) extra = {"--prompt", "the"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  static CliResult decode(std::vector<std::string> extra) {
    std::vector<std::string> args{"decode", "--model", good().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }
  static json decode_tree(std::vector<std::string> extra) {
    const fs::path out = root_ / "tree.json";
    fs::remove(out);
    extra.insert(extra.end(), {"--out", out.string()});
    const CliResult r = decode(extra);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    return fs::exists(out) ? json::parse(slurp(out)) : json();
  }
  static std::vector<int> first_sequence(const json& tree) {
    if (!tree.contains("sequences") || tree["sequences"].empty()) return {};
    return tree["sequences"][0]["token_ids"].get<std::vector<int>>();
  }

  static inline fs::path root_;
};

}  // namespace
}  // namespace beamscope::test
