// Downloads from a stand-in Hub on 127.0.0.1 (tests/data/net/hub_test_server.py):
// the cache layout transformers uses, redirects to a CDN on another origin,
// the token kept to the endpoint, resume after a cut connection or from an
// .incomplete file, a wrong checksum refused, gated / unknown repositories,
// include patterns; the result is listed by `models` and opens.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "common/expect_error.h"
#include "common/local_http_server.h"
#include "common/require_reference.h"
#include "common/tiny_model_folder.h"
#include "discovery/find_models.h"
#include "hub/file_checksum.h"
#include "hub/hub_download.h"
#include "hub/repo_cache.h"
#include "model/model_folder.h"
#include "net/http_client.h"
#include "util/file_lock.h"

namespace beamscope::hub {
namespace {

namespace fs = std::filesystem;
using beamscope::test::LocalHttpServer;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("beamscope_hub_" + name + "_" + std::to_string(std::random_device{}()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// One tiny GPT-2 folder per test run, served as the repositories' files.
const fs::path& source_model() {
  static const fs::path dir = [] {
    const fs::path d = fresh_dir("source") / "tiny";
    beamscope::test::write_model_folder(
        d, beamscope::test::tiny_config(),
        beamscope::test::tiny_tensors(beamscope::test::tiny_config()));
    return d;
  }();
  return dir;
}

class HubDownloadTest : public ::testing::Test {
 protected:
  void start(std::vector<std::string> args) {
    server_ =
        std::make_unique<LocalHttpServer>(BEAMSCOPE_TEST_DATA_DIR "/net/hub_test_server.py", args);
    if (!server_->ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the Hub stand-in");
    settings_.endpoint = server_->url();
    settings_.cache = fresh_dir("cache");
  }
  std::string repo_arg(const std::string& kind, const std::string& repo) {
    return "--" + kind + "=" + repo + "=" + source_model().string();
  }
  void TearDown() override {
    std::error_code ec;
    if (!settings_.cache.empty()) fs::remove_all(settings_.cache, ec);
  }
  nlohmann::json log() {
    return nlohmann::json::parse(net::http_get_text(server_->url("/_log")).body);
  }
  std::string sha256_of(const std::string& file) { return file_sha256(source_model() / file); }

  std::unique_ptr<LocalHttpServer> server_;
  HubSettings settings_;
};

TEST_F(HubDownloadTest, FillsTheCacheLayoutAndTheModelOpens) {
  start({repo_arg("repo", "test-org/tiny")});
  if (HasFatalFailure() || IsSkipped()) return;
  const DownloadResult result = download_repo(settings_, {"test-org/tiny", "main", {}});
  const fs::path folder = settings_.cache / "models--test-org--tiny";
  ASSERT_EQ(result.files.size(), 4u);  // config.json, merges.txt, model.safetensors, vocab.json
  EXPECT_EQ(result.snapshot, folder / "snapshots" / result.commit);
  EXPECT_EQ(beamscope::test::slurp(folder / "refs" / "main"), result.commit);
  const std::string weights = sha256_of("model.safetensors");
  EXPECT_TRUE(fs::is_regular_file(folder / "blobs" / weights));
  EXPECT_EQ(fs::read_symlink(result.snapshot / "model.safetensors"),
            fs::path("../../blobs/" + weights));
  const fs::path config_target = fs::read_symlink(result.snapshot / "config.json");
  EXPECT_EQ(config_target.string().rfind("../../blobs/", 0), 0u);
  EXPECT_EQ(file_git_blob_sha1(result.snapshot / "config.json"), config_target.filename().string());
  EXPECT_EQ(beamscope::test::slurp(result.snapshot / "vocab.json"),
            beamscope::test::slurp(source_model() / "vocab.json"));

  const LoadedModel loaded = load_model(result.model);
  EXPECT_EQ(loaded.info.vocab_size, beamscope::test::kVocab);
  const auto found = find_models({{"huggingface", settings_.cache}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "test-org/tiny");
  EXPECT_TRUE(found[0].can_open) << found[0].reason;

  // A second run finds every blob in place and fetches nothing.
  const std::size_t requests = log().size();
  const DownloadResult again = download_repo(settings_, {"test-org/tiny", "main", {}});
  for (const auto& f : again.files) EXPECT_FALSE(f.fetched) << f.name;
  const nlohmann::json seen = log();
  ASSERT_GT(seen.size(), requests);
  for (std::size_t i = requests; i < seen.size(); ++i) {
    EXPECT_FALSE(seen[i]["method"] == "GET" &&
                 seen[i]["path"].get<std::string>().rfind("/cdn/", 0) == 0)
        << seen[i].dump();
  }
}

TEST_F(HubDownloadTest, AGatedRepositoryNeedsTheTokenWhichStaysWithTheEndpoint) {
  start({repo_arg("gated", "test-org/gated"), "--token=hf_test_token"});
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_ERROR_CONTAINS(download_repo(settings_, {"test-org/gated", "main", {}}),
                        "The Hub refused test-org/gated at main (HTTP 401): it is a gated model");
  settings_.token = "hf_wrong";
  EXPECT_ERROR_CONTAINS(download_repo(settings_, {"test-org/gated", "main", {}}),
                        "use a token of that account");
  settings_.token = "hf_test_token";
  const DownloadResult result = download_repo(settings_, {"test-org/gated", "main", {}});
  EXPECT_EQ(result.files.size(), 4u);
  int to_cdn = 0, to_endpoint = 0;
  for (const auto& entry : log()) {
    const std::string host = entry["host"].get<std::string>();
    const bool has_token = entry["authorization"] == "Bearer hf_test_token";
    if (host.rfind("localhost:", 0) == 0) {
      ++to_cdn;
      EXPECT_TRUE(entry["authorization"].is_null()) << entry.dump();
    } else if (entry["path"] != "/_log" && has_token) {
      ++to_endpoint;
    }
  }
  EXPECT_GT(to_cdn, 0);
  EXPECT_GT(to_endpoint, 0);
  // Nothing the download wrote holds the token.
  for (const auto& entry : fs::recursive_directory_iterator(settings_.cache)) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(beamscope::test::slurp(entry.path()).find("hf_test_token"), std::string::npos)
          << entry.path();
    }
  }
}

TEST_F(HubDownloadTest, ACutConnectionIsResumedWithRange) {
  start({repo_arg("repo", "test-org/tiny"), "--cut-once"});
  if (HasFatalFailure() || IsSkipped()) return;
  const DownloadResult result = download_repo(settings_, {"test-org/tiny", "main", {}});
  const std::string weights = sha256_of("model.safetensors");
  EXPECT_EQ(file_sha256(result.snapshot / "model.safetensors"), weights);
  int resumed = 0;
  for (const auto& entry : log()) {
    if (entry["path"] == "/cdn/" + weights && entry["range"].is_string()) ++resumed;
  }
  EXPECT_EQ(resumed, 1);
}

TEST_F(HubDownloadTest, AnIncompleteFileFromAnEarlierRunIsContinued) {
  start({repo_arg("repo", "test-org/tiny")});
  if (HasFatalFailure() || IsSkipped()) return;
  const std::string weights = sha256_of("model.safetensors");
  const std::string bytes = beamscope::test::slurp(source_model() / "model.safetensors");
  const fs::path blobs = settings_.cache / "models--test-org--tiny" / "blobs";
  fs::create_directories(blobs);
  beamscope::test::spit(blobs / (weights + ".incomplete"), bytes.substr(0, bytes.size() / 3));
  download_repo(settings_, {"test-org/tiny", "main", {"*.safetensors"}});
  EXPECT_EQ(file_sha256(blobs / weights), weights);
  EXPECT_FALSE(fs::exists(blobs / (weights + ".incomplete")));
  bool asked_for_the_rest = false;
  for (const auto& entry : log()) {
    asked_for_the_rest |= entry["range"] == "bytes=" + std::to_string(bytes.size() / 3) + "-";
  }
  EXPECT_TRUE(asked_for_the_rest);
}

TEST_F(HubDownloadTest, AWrongChecksumIsRefusedAndNothingIsKept) {
  start({repo_arg("corrupt", "test-org/bad")});
  if (HasFatalFailure() || IsSkipped()) return;
  const std::string refused =
      "The download of model.safetensors of test-org/bad does not match its checksum (SHA-256 ";
  EXPECT_ERROR_CONTAINS(download_repo(settings_, {"test-org/bad", "main", {}}), refused);
  const fs::path folder = settings_.cache / "models--test-org--bad";
  const std::string weights = sha256_of("model.safetensors");
  EXPECT_FALSE(fs::exists(folder / "blobs" / weights));
  EXPECT_FALSE(fs::exists(folder / "blobs" / (weights + ".incomplete")));
  EXPECT_TRUE(find_models({{"huggingface", settings_.cache}}).empty() ||
              !find_models({{"huggingface", settings_.cache}})[0].can_open);
}

TEST_F(HubDownloadTest, UnknownNamesAndPatterns) {
  start({repo_arg("repo", "test-org/tiny")});
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_ERROR_CONTAINS(download_repo(settings_, {"test-org/none", "main", {}}),
                        "The Hub has no test-org/none at main (HTTP 404); check the name.");
  EXPECT_ERROR_CONTAINS(download_repo(settings_, {"test-org/tiny", "v9", {}}),
                        "The Hub has no such revision of test-org/tiny at v9 (HTTP 404).");
  EXPECT_ERROR_CONTAINS(download_repo(settings_, {"test-org/tiny", "main", {"*.gguf"}}),
                        "No file of test-org/tiny matches '*.gguf'.");
  const DownloadResult some = download_repo(settings_, {"test-org/tiny", "main", {"*.json"}});
  ASSERT_EQ(some.files.size(), 2u);
  EXPECT_EQ(some.files[0].name, "config.json");
  EXPECT_EQ(some.files[1].name, "vocab.json");
  EXPECT_FALSE(fs::exists(some.snapshot / "model.safetensors"));
  HubSettings nowhere = settings_;
  nowhere.endpoint = "http://127.0.0.1:1";
  EXPECT_ERROR_CONTAINS(
      download_repo(nowhere, {"test-org/tiny", "main", {}}),
      "Could not reach http://127.0.0.1:1/api/models/test-org/tiny/revision/main");
}

TEST_F(HubDownloadTest, AGgufRepositoryNeedsAPatternAndGivesTheFile) {
  const fs::path gguf_repo = fresh_dir("gguf_repo");
  beamscope::test::spit(gguf_repo / "README.md", "# quantizations\n");
  beamscope::test::spit(gguf_repo / "m-Q4_K_M.gguf", "GGUF" + std::string(3000, 'q'));
  beamscope::test::spit(gguf_repo / "m-Q8_0.gguf", "GGUF" + std::string(5000, '8'));
  start({"--repo=test-org/m-GGUF=" + gguf_repo.string()});
  if (HasFatalFailure() || IsSkipped()) return;
  EXPECT_ERROR_CONTAINS(download_repo(settings_, {"test-org/m-GGUF", "main", {}}),
                        "test-org/m-GGUF holds GGUF files, each a whole model: name the one you "
                        "want with --include");
  const DownloadResult result =
      download_repo(settings_, {"test-org/m-GGUF", "main", {"*Q4_K_M.gguf"}});
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.model, result.snapshot / "m-Q4_K_M.gguf");
  EXPECT_EQ(fs::file_size(result.model), 3004u);
  EXPECT_EQ(file_sha256(result.model), file_sha256(gguf_repo / "m-Q4_K_M.gguf"));
  fs::remove_all(gguf_repo);
}

TEST_F(HubDownloadTest, ProgressCountsBytesAndCanCancel) {
  start({repo_arg("repo", "test-org/tiny")});
  if (HasFatalFailure() || IsSkipped()) return;
  DownloadProgress last;
  download_repo(settings_, {"test-org/tiny", "main", {}}, [&](const DownloadProgress& p) {
    EXPECT_LE(p.all_bytes, p.all_total);
    last = p;
    return true;
  });
  EXPECT_EQ(last.file_index, 4u);
  EXPECT_EQ(last.all_bytes, last.all_total);
  EXPECT_GT(last.all_total, fs::file_size(source_model() / "model.safetensors"));
  fs::remove_all(settings_.cache);
  settings_.cache = fresh_dir("cache2");
  EXPECT_THROW(download_repo(settings_, {"test-org/tiny", "main", {}},
                             [](const DownloadProgress& p) { return p.file_index < 2; }),
               Cancelled);
}

// Another process (a second Beamscope, or huggingface_hub) holds the blob's
// lock: the download waits without writing, reports the other writer's
// bytes, then takes the blob that writer left instead of fetching it.
TEST_F(HubDownloadTest, ABlobAnotherProcessIsWritingIsWaitedForNotFetchedTwice) {
  start({repo_arg("repo", "test-org/tiny")});
  if (HasFatalFailure() || IsSkipped()) return;
  const std::string weights = sha256_of("model.safetensors");
  const std::string bytes = beamscope::test::slurp(source_model() / "model.safetensors");
  const RepoCache cache(settings_.cache / "models--test-org--tiny");
  const fs::path lock_path =
      settings_.cache / ".locks" / "models--test-org--tiny" / (weights + ".lock");
  ASSERT_EQ(cache.blob_lock(weights), lock_path);
  std::optional<FileLock> other = FileLock::try_lock(lock_path);
  ASSERT_TRUE(other.has_value());
  fs::create_directories(cache.blob(weights).parent_path());
  beamscope::test::spit(cache.incomplete(weights), bytes.substr(0, 1000));  // the other's progress

  std::atomic<std::uint64_t> seen_while_waiting{0};
  std::atomic<bool> done{false};
  std::string failure;
  std::thread download([&] {
    try {
      download_repo(
          settings_, {"test-org/tiny", "main", {"*.safetensors"}}, [&](const DownloadProgress& p) {
            if (!done)
              seen_while_waiting = std::max<std::uint64_t>(seen_while_waiting, p.all_bytes);
            return true;
          });
    } catch (const std::exception& e) {
      failure = e.what();
    }
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_FALSE(done) << "did not wait for the lock";
  std::error_code ec;  // (a download that did not wait has renamed it: no throw here)
  EXPECT_EQ(fs::file_size(cache.incomplete(weights), ec), 1000u)
      << "wrote while another held the lock";
  EXPECT_GE(seen_while_waiting.load(), 1000u) << "the other writer's bytes were not reported";
  // The other process finishes: its blob in place, its lock released.
  beamscope::test::spit(cache.blob(weights), bytes);
  fs::remove(cache.incomplete(weights), ec);
  other.reset();
  download.join();
  EXPECT_EQ(failure, "");
  EXPECT_EQ(file_sha256(cache.blob(weights)), weights);
  int heads = 0;
  for (const auto& entry : log()) {
    if (entry["path"] != "/cdn/" + weights) continue;
    EXPECT_EQ(entry["method"], "HEAD") << "fetched a blob another process had written";
    ++heads;
  }
  EXPECT_EQ(heads, 1);  // its description, before the lock
}

TEST_F(HubDownloadTest, WaitingForAnotherProcessCanBeCancelled) {
  start({repo_arg("repo", "test-org/tiny")});
  if (HasFatalFailure() || IsSkipped()) return;
  const std::string weights = sha256_of("model.safetensors");
  const RepoCache cache(settings_.cache / "models--test-org--tiny");
  std::optional<FileLock> other = FileLock::try_lock(cache.blob_lock(weights));
  ASSERT_TRUE(other.has_value());
  int calls = 0;
  EXPECT_THROW(download_repo(settings_, {"test-org/tiny", "main", {"*.safetensors"}},
                             [&](const DownloadProgress&) { return ++calls < 5; }),
               Cancelled);
  EXPECT_FALSE(fs::exists(cache.blob(weights)));
}

}  // namespace
}  // namespace beamscope::hub
