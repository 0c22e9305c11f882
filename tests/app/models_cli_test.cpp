// `beamscope-cli models` on a home folder laid out here (a Hub cache with a
// real model, LM Studio with a GGUF file), with the environment pointing only
// there: the JSON contract, and that the path it prints opens with --model.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "app/cli_test_util.h"
#include "model/model_folder.h"

namespace beamscope::test {
namespace {

namespace fs = std::filesystem;

TEST(ModelsCli, ListsTheHubCacheAndLmStudioAndThePathOpens) {
  std::random_device seed;
  const fs::path home = fs::temp_directory_path() / ("beamscope-home-" + std::to_string(seed()));
  const fs::path snapshot = home / ".cache/huggingface/hub/models--org--tiny/snapshots/0123abcd";
  fs::create_directories(snapshot);
  fs::copy(bundled_model_dir(), snapshot, fs::copy_options::recursive);
  const fs::path gguf = home / ".lmstudio/models/pub/repo/tiny-Q8_0.gguf";
  fs::create_directories(gguf.parent_path());
  std::ofstream(gguf) << "GGUF";
  for (const char* name : {"HF_HOME", "HF_HUB_CACHE", "OLLAMA_MODELS", "LLAMA_CACHE"}) {
    unsetenv(name);
  }
  const std::string old_home = std::getenv("HOME") ? std::getenv("HOME") : "";
  setenv("HOME", home.c_str(), 1);
  const CliResult listed = run_cli({"models"});
  setenv("HOME", old_home.c_str(), 1);

  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto json = nlohmann::json::parse(listed.out);
  ASSERT_EQ(json.size(), 2u) << listed.out;
  EXPECT_EQ(json[0]["name"], "org/tiny");
  EXPECT_EQ(json[0]["source"], "huggingface");
  EXPECT_EQ(json[0]["architecture"], "gpt2");
  EXPECT_EQ(json[0]["can_open"], true);
  EXPECT_EQ(json[0]["reason"], "");
  EXPECT_EQ(json[1]["name"], "pub/repo/tiny-Q8_0.gguf");
  EXPECT_EQ(json[1]["source"], "lmstudio");
  for (const char* key : {"name", "source", "path", "architecture", "parameter_count", "dtype",
                          "size_bytes", "can_open", "reason"}) {
    EXPECT_TRUE(json[0].contains(key)) << key;
  }
  const CliResult info = run_cli({"info", "--model", json[0]["path"].get<std::string>()});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(nlohmann::json::parse(info.out)["parameter_count"], json[0]["parameter_count"]);

  EXPECT_NE(run_cli({"models", "--folder", (home / "nope").string()}).err.find("is not a folder"),
            std::string::npos);
  std::error_code ec;
  fs::remove_all(home, ec);
}

}  // namespace
}  // namespace beamscope::test
