// `beamscope-cli download` against the Hub stand-in on 127.0.0.1
// (tests/data/net/hub_test_server.py), with HOME and HF_ENDPOINT pointing
// only there: the JSON it prints, that `models` then lists the model, that
// `info --model` opens it, and a refusal as one sentence on stderr.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "app/cli_test_util.h"
#include "common/local_http_server.h"
#include "common/require_reference.h"
#include "common/tiny_model_folder.h"

namespace beamscope::test {
namespace {

namespace fs = std::filesystem;

TEST(DownloadCli, FetchesIntoTheCacheThenModelsListsItAndItOpens) {
  const fs::path root =
      fs::temp_directory_path() / ("beamscope-download-" + std::to_string(std::random_device{}()));
  write_model_folder(root / "source", tiny_config(), tiny_tensors(tiny_config()));
  LocalHttpServer hub(BEAMSCOPE_TEST_DATA_DIR "/net/hub_test_server.py",
                      {"--repo=test-org/tiny=" + (root / "source").string()});
  if (!hub.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the Hub stand-in");

  for (const char* name :
       {"HF_HOME", "HF_HUB_CACHE", "HF_TOKEN", "HF_TOKEN_PATH", "OLLAMA_MODELS", "LLAMA_CACHE"}) {
    unsetenv(name);
  }
  const std::string old_home = std::getenv("HOME") ? std::getenv("HOME") : "";
  setenv("HOME", (root / "home").c_str(), 1);
  setenv("HF_ENDPOINT", hub.url().c_str(), 1);
  const CliResult fetched = run_cli({"download", "test-org/tiny", "--revision", "main"});
  const CliResult listed = run_cli({"models"});
  const CliResult missing = run_cli({"download", "test-org/nothing"});
  const CliResult no_name = run_cli({"download", "--include", "*.json"});
  setenv("HOME", old_home.c_str(), 1);
  unsetenv("HF_ENDPOINT");

  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  const auto json = nlohmann::json::parse(fetched.out);
  EXPECT_EQ(json["repo"], "test-org/tiny");
  EXPECT_EQ(json["files"].size(), 4u);
  const fs::path snapshot = json["snapshot"].get<std::string>();
  EXPECT_EQ(snapshot.parent_path(),
            root / "home/.cache/huggingface/hub/models--test-org--tiny/snapshots");
  EXPECT_NE(fetched.err.find("[3/4] model.safetensors"), std::string::npos) << fetched.err;

  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto models = nlohmann::json::parse(listed.out);
  ASSERT_EQ(models.size(), 1u) << listed.out;
  EXPECT_EQ(models[0]["name"], "test-org/tiny");
  EXPECT_EQ(models[0]["can_open"], true) << models[0]["reason"];
  const CliResult info = run_cli({"info", "--model", json["model"].get<std::string>()});
  EXPECT_EQ(info.exit_code, 0) << info.err;

  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(missing.err, "The Hub has no test-org/nothing at main (HTTP 404); check the name.\n");
  EXPECT_NE(no_name.exit_code, 0);
  EXPECT_NE(no_name.err.find("download needs a model name"), std::string::npos) << no_name.err;
  fs::remove_all(root);
}

}  // namespace
}  // namespace beamscope::test
