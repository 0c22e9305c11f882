// The Hub download's rules that need no server: settings from the
// environment, repository names, which files a download takes, and the
// listing read as a stranger's answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/expect_error.h"
#include "hub/file_fetch.h"
#include "hub/hub_download.h"
#include "hub/hub_listing.h"
#include "hub/hub_settings.h"

namespace beamscope::hub {
namespace {

namespace fs = std::filesystem;

EnvironmentLookup fake_env(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(HubSettingsTest, ResolvedLikeHuggingfaceHub) {
  const fs::path home = fs::temp_directory_path() / "beamscope_hub_home";
  fs::create_directories(home / ".cache/huggingface");
  std::ofstream(home / ".cache/huggingface/token") << "  hf_from_file \nsecond line\n";
  HubSettings s = hub_settings_from_environment(fake_env({{"HOME", home.string()}}));
  EXPECT_EQ(s.endpoint, "https://huggingface.co");
  EXPECT_EQ(s.cache, home / ".cache/huggingface/hub");
  EXPECT_EQ(s.token, "hf_from_file");

  s = hub_settings_from_environment(fake_env({{"HOME", home.string()},
                                              {"HF_ENDPOINT", "http://mirror.example/"},
                                              {"HF_HOME", "/data/hf"},
                                              {"HF_TOKEN", "hf_env"}}));
  EXPECT_EQ(s.endpoint, "http://mirror.example");
  EXPECT_EQ(s.cache, fs::path("/data/hf/hub"));
  EXPECT_EQ(s.token, "hf_env");
  s = hub_settings_from_environment(fake_env({{"HF_HUB_CACHE", "/c"}, {"HF_HOME", "/nowhere"}}));
  EXPECT_EQ(s.cache, fs::path("/c"));
  EXPECT_FALSE(s.token.has_value());
}

TEST(HubSettingsTest, RepositoryNamesAndRevisions) {
  check_repo_id("HuggingFaceTB/SmolLM2-135M");
  check_repo_id("gpt2");
  check_repo_id("Qwen/Qwen2.5-0.5B");
  EXPECT_ERROR_CONTAINS(check_repo_id("a/b/c"), "more than one '/'");
  EXPECT_ERROR_CONTAINS(check_repo_id("../etc"), "starts or ends");
  EXPECT_ERROR_CONTAINS(check_repo_id("a--b/c"), "'--' and '..'");
  EXPECT_ERROR_CONTAINS(check_repo_id("org/na me"), "' ' is not allowed");
  EXPECT_ERROR_CONTAINS(check_repo_id(""), "1 to 96 characters");
  check_revision("refs/pr/1");
  EXPECT_ERROR_CONTAINS(check_revision("../../x"), "is not a revision");
  EXPECT_EQ(repo_cache_folder("/c", "org/name"), fs::path("/c/models--org--name"));
  EXPECT_EQ(repo_cache_folder("/c", "gpt2"), fs::path("/c/models--gpt2"));
  EXPECT_EQ(revision_in_url("refs/pr/1"), "refs%2Fpr%2F1");
}

TEST(HubFileSelectionTest, DefaultsPatternsAndGgufRepositories) {
  const std::vector<std::string> names = {
      ".gitattributes", "README.md",         "config.json",     "model.safetensors",
      "merges.txt",     "pytorch_model.bin", "onnx/model.onnx", "tokenizer.json",
      "tf_model.h5",    "onnx/config.json",  "tokenizer.model"};
  EXPECT_EQ(select_repo_files(names, {}, "o/n"),
            (std::vector<std::string>{"config.json", "model.safetensors", "merges.txt",
                                      "tokenizer.json", "tokenizer.model"}));
  EXPECT_EQ(select_repo_files(names, {"onnx/*"}, "o/n"),
            (std::vector<std::string>{"onnx/model.onnx", "onnx/config.json"}));
  EXPECT_EQ(select_repo_files(names, {"*.json"}, "o/n"),
            (std::vector<std::string>{"config.json", "tokenizer.json", "onnx/config.json"}));
  const std::vector<std::string> gguf = {"README.md", "m-Q4_K_M.gguf", "m-Q8_0.gguf"};
  EXPECT_ERROR_CONTAINS(select_repo_files(gguf, {}, "o/gguf"),
                        "o/gguf holds GGUF files, each a whole model");
  EXPECT_EQ(select_repo_files(gguf, {"*Q4_K_M.gguf"}, "o/gguf"),
            (std::vector<std::string>{"m-Q4_K_M.gguf"}));
  EXPECT_ERROR_CONTAINS(select_repo_files({"README.md"}, {}, "o/n"), "no file Beamscope can use");
}

TEST(HubListingTest, ReadAsAStrangersAnswer) {
  const std::string sha = "0123456789abcdef0123456789abcdef01234567";
  const HubListing ok =
      parse_repo_listing(R"({"sha":")" + sha +
                             R"(","siblings":[{"rfilename":"config.json","size":10},
          {"rfilename":"model.safetensors","size":134,"lfs":{"sha256":"x","size":5000}},
          {"rfilename":"sub/a.txt"}]})",
                         "test");
  EXPECT_EQ(ok.commit, sha);
  ASSERT_EQ(ok.files.size(), 3u);
  EXPECT_EQ(ok.files[0].size, 10u);
  EXPECT_EQ(ok.files[1].size, 5000u);
  EXPECT_FALSE(ok.files[2].size.has_value());
  const auto with_file = [&](const std::string& name) {
    return R"({"sha":")" + sha + R"(","siblings":[{"rfilename":)" + name + "}]}";
  };
  EXPECT_ERROR_CONTAINS(parse_repo_listing(with_file(R"("../../.bashrc")"), "t"),
                        "the file name '../../.bashrc' is not a safe path");
  EXPECT_ERROR_CONTAINS(parse_repo_listing(with_file(R"("/etc/passwd")"), "t"), "not a safe path");
  EXPECT_ERROR_CONTAINS(parse_repo_listing(with_file(R"("a//b")"), "t"), "not a safe path");
  EXPECT_ERROR_CONTAINS(parse_repo_listing(with_file("7"), "t"), "has no \"rfilename\"");
  EXPECT_ERROR_CONTAINS(parse_repo_listing(R"({"sha":"main","siblings":[]})", "t"),
                        "its commit is not 40 hex digits");
  EXPECT_ERROR_CONTAINS(
      parse_repo_listing("[1,2]", "from here"),
      "The Hub's file listing from from here is not usable: it is not a JSON object.");
  EXPECT_TRUE(is_safe_repo_path("onnx/model.onnx"));
  EXPECT_FALSE(is_safe_repo_path("a/./b"));
  EXPECT_FALSE(is_safe_repo_path("a\\b"));
}

TEST(HubResolveHeadersTest, TheHubsHopNamesTheBlob) {
  const std::string sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  // An LFS file: the Hub's redirect carries X-Linked-*, the CDN's answer its own ETag.
  std::vector<net::HttpHop> hops = {
      {"http://hub/r",
       302,
       {{"X-Repo-Commit", "c0ffee"},
        {"X-Linked-Etag", "\"" + sha + "\""},
        {"X-Linked-Size", "5000"},
        {"ETag", "\"pointer\""}}},
      {"http://cdn/x", 200, {{"ETag", "\"cdn-etag\""}, {"Content-Length", "5000"}}}};
  RemoteFile remote = read_remote_file(hops, "f");
  EXPECT_EQ(remote.etag, sha);
  EXPECT_EQ(remote.commit, "c0ffee");
  EXPECT_TRUE(remote.size_known);
  EXPECT_EQ(remote.size, 5000u);
  // A small file: one answer, a weak quoted ETag, the size from Content-Length.
  hops = {{"http://hub/r",
           200,
           {{"X-Repo-Commit", "c0ffee"}, {"ETag", "W/\"abc123\""}, {"Content-Length", "12"}}}};
  remote = read_remote_file(hops, "f");
  EXPECT_EQ(remote.etag, "abc123");
  EXPECT_EQ(remote.size, 12u);
  hops[0].headers[2].second = "-1";
  EXPECT_FALSE(read_remote_file(hops, "f").size_known);
  for (const char* bad : {"\"../../etc/passwd\"", "\"a/b\"", "\"\"", "\"..\""}) {
    hops[0].headers[1].second = bad;
    EXPECT_ERROR_CONTAINS(read_remote_file(hops, "config.json of o/n"),
                          "The Hub's answer for config.json of o/n has no usable ETag");
  }
  EXPECT_ERROR_CONTAINS(read_remote_file({}, "f"), "The Hub sent no answer for f.");
}

}  // namespace
}  // namespace beamscope::hub
