// Finding the models already on disk: a Hugging Face cache (blobs, snapshot
// links, refs/main), an Ollama store (manifests naming GGUF blobs), LM Studio
// and user folders, laid out here as the tools lay them out; what each entry
// says, and broken entries listed with their reason instead of stopping the
// listing.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "discovery/find_models.h"
#include "discovery/search_roots.h"
#include "model/model_folder.h"

namespace beamscope::test {
namespace {

namespace fs = std::filesystem;

class FindModelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device seed;
    root_ = fs::temp_directory_path() / ("beamscope-find-" + std::to_string(seed()));
    fs::create_directories(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  static void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }
  // A Hub cache repository whose snapshot links every file of the bundled
  // model into blobs/, as huggingface_hub stores them.
  fs::path add_hub_repo(const fs::path& hub, const std::string& folder, const std::string& rev,
                        bool write_ref) {
    const fs::path repo = hub / folder;
    const fs::path snapshot = repo / "snapshots" / rev;
    fs::create_directories(snapshot);
    fs::create_directories(repo / "blobs");
    int blob = 0;
    for (const auto& entry : fs::directory_iterator(bundled_model_dir())) {
      if (!entry.is_regular_file()) continue;
      const fs::path target = repo / "blobs" / (rev + "-" + std::to_string(blob++));
      fs::copy_file(entry.path(), target);
      fs::create_symlink(fs::relative(target, snapshot), snapshot / entry.path().filename());
    }
    if (write_ref) write(repo / "refs" / "main", rev + "\n");
    return snapshot;
  }
  static const FoundModel* by_name(const std::vector<FoundModel>& found, const std::string& name) {
    for (const FoundModel& m : found) {
      if (m.name == name) return &m;
    }
    return nullptr;
  }
  fs::path root_;
};

TEST_F(FindModelsTest, HubCacheSnapshotsAreModels) {
  const fs::path hub = root_ / "hub";
  const fs::path snapshot = add_hub_repo(hub, "models--openai-community--gpt2", "abc123", true);
  add_hub_repo(hub, "models--openai-community--gpt2", "old000", false);  // not refs/main
  add_hub_repo(hub, "models--distilgpt2", "def456", false);              // no refs: newest
  write(hub / "datasets--x--y" / "snapshots" / "1" / "config.json", "{}");
  const auto found = find_models({{"huggingface", hub}});
  ASSERT_EQ(found.size(), 2u);
  const FoundModel* gpt2 = by_name(found, "openai-community/gpt2");
  ASSERT_NE(gpt2, nullptr);
  EXPECT_EQ(gpt2->path, snapshot);
  EXPECT_EQ(gpt2->source, "huggingface");
  EXPECT_TRUE(gpt2->can_open) << gpt2->reason;
  EXPECT_EQ(gpt2->architecture, "gpt2");
  EXPECT_EQ(gpt2->dtype, "F32");
  // The count from the headers is the one the loaded model reports.
  const LoadedModel loaded = load_model(gpt2->path);
  EXPECT_EQ(gpt2->parameter_count, loaded.info.parameter_count);
  EXPECT_GT(gpt2->size_bytes, fs::file_size(bundled_model_dir() / "model.safetensors"));
  ASSERT_NE(by_name(found, "distilgpt2"), nullptr);
}

TEST_F(FindModelsTest, ModelsItCannotOpenAreListedWithTheReason) {
  const fs::path folder = root_ / "mine";
  write(folder / "bert" / "config.json", R"({"model_type": "bert"})");
  write(folder / "old" / "config.json", R"({"model_type": "gpt2"})");
  write(folder / "old" / "pytorch_model.bin", "x");
  write(folder / "broken" / "config.json", "{not json");
  fs::create_directories(folder / "notok");
  fs::copy(bundled_model_dir(), folder / "notok", fs::copy_options::recursive);
  for (const char* file : {"vocab.json", "merges.txt", "tokenizer.json"}) {
    fs::remove(folder / "notok" / file);
  }
  const auto found = find_models({{"folder", folder}});
  ASSERT_EQ(found.size(), 4u);
  const auto reason = [&](const std::string& name) {
    const FoundModel* m = by_name(found, name);
    EXPECT_NE(m, nullptr) << name;
    EXPECT_FALSE(m == nullptr || m->can_open) << name;
    return m == nullptr ? std::string() : m->reason;
  };
  EXPECT_NE(reason("bert").find("'bert', which Beamscope does not open"), std::string::npos);
  EXPECT_NE(reason("old").find("only PyTorch .bin weights"), std::string::npos);
  EXPECT_NE(reason("broken").find("not valid JSON"), std::string::npos);
  EXPECT_NE(reason("notok").find("has no tokenizer"), std::string::npos);
}

TEST_F(FindModelsTest, OllamaManifestsNameTheirBlobs) {
  const fs::path store = root_ / "ollama";
  const std::string hex(64, 'a'), other(64, 'b');
  write(store / "blobs" / ("sha256-" + hex), std::string("GGUF") + std::string(60, '\0'));
  const auto manifest = [&](const std::string& digest) {
    return R"({"schemaVersion":2,"layers":[{"mediaType":"application/vnd.ollama.image.license",)"
           R"("digest":"sha256:)" +
           other +
           R"("},{"mediaType":"application/vnd.ollama.image.model",)"
           R"("digest":")" +
           digest + R"("}]})";
  };
  const fs::path manifests = store / "manifests";
  write(manifests / "registry.ollama.ai" / "library" / "tiny" / "latest",
        manifest("sha256:" + hex));
  write(manifests / "registry.ollama.ai" / "someone" / "thing" / "q4", manifest("sha256:" + other));
  write(manifests / "hf.co" / "org" / "repo" / "Q8_0", manifest("sha256:../../../etc/passwd"));
  write(manifests / "registry.ollama.ai" / "library" / "junk" / "1", "[1, 2");
  const auto found = find_models({{"ollama", store}});
  ASSERT_EQ(found.size(), 4u);
  const FoundModel* tiny = by_name(found, "tiny:latest");
  ASSERT_NE(tiny, nullptr);
  EXPECT_EQ(tiny->path, store / "blobs" / ("sha256-" + hex));
  EXPECT_EQ(tiny->size_bytes, 64u);
  const FoundModel* missing = by_name(found, "someone/thing:q4");
  ASSERT_NE(missing, nullptr);
  EXPECT_NE(missing->reason.find("are missing"), std::string::npos);
  const FoundModel* hostile = by_name(found, "hf.co/org/repo:Q8_0");
  ASSERT_NE(hostile, nullptr);
  EXPECT_NE(hostile->reason.find("invalid digest"), std::string::npos);
  const FoundModel* junk = by_name(found, "junk:1");
  ASSERT_NE(junk, nullptr);
  EXPECT_NE(junk->reason.find("not valid JSON"), std::string::npos);
}

TEST_F(FindModelsTest, GgufTreesAndLinkLoops) {
  const fs::path studio = root_ / "lmstudio";
  write(studio / "lmstudio-community" / "Qwen3-GGUF" / "Qwen3-0.6B-Q8_0.gguf", "GGUF....");
  write(studio / "lmstudio-community" / "Qwen3-GGUF" / "README.md", "not a model");
  fs::create_directory_symlink(studio, studio / "lmstudio-community" / "loop");
  const auto found = find_models({{"lmstudio", studio}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "lmstudio-community/Qwen3-GGUF/Qwen3-0.6B-Q8_0.gguf");
  EXPECT_EQ(found[0].source, "lmstudio");
}

TEST_F(FindModelsTest, AModelReachableTwiceIsListedOnce) {
  const fs::path hub = root_ / "hub";
  const fs::path snapshot = add_hub_repo(hub, "models--gpt2", "r1", true);
  const auto found = find_models({{"huggingface", hub}, {"folder", snapshot}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].source, "huggingface");
}

TEST_F(FindModelsTest, SearchRootsFollowEachToolsVariables) {
  for (const char* dir :
       {"hf_hub", "hf_home/hub", "home/.cache/huggingface/hub", "home/.ollama/models", "ollama_env",
        "home/.lmstudio/models", "home/.cache/llama.cpp"}) {
    fs::create_directories(root_ / dir);
  }
  std::map<std::string, std::string> env = {{"HOME", (root_ / "home").string()}};
  const auto lookup = [&](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto roots = default_search_roots(lookup);
  ASSERT_EQ(roots.size(), 4u);
  EXPECT_EQ(roots[0].path, root_ / "home/.cache/huggingface/hub");
  EXPECT_EQ(roots[1].path, root_ / "home/.ollama/models");
  EXPECT_EQ(roots[2].source, "lmstudio");
  EXPECT_EQ(roots[3].source, "llama.cpp");
  env["HF_HOME"] = (root_ / "hf_home").string();
  env["OLLAMA_MODELS"] = (root_ / "ollama_env").string();
  roots = default_search_roots(lookup);
  EXPECT_EQ(roots[0].path, root_ / "hf_home/hub");
  EXPECT_EQ(roots[1].path, root_ / "ollama_env");
  env["HF_HUB_CACHE"] = (root_ / "hf_hub").string();
  env["LLAMA_CACHE"] = (root_ / "nowhere").string();  // absent: left out
  roots = default_search_roots(lookup);
  EXPECT_EQ(roots[0].path, root_ / "hf_hub");
  EXPECT_EQ(roots.size(), 3u);
}

}  // namespace
}  // namespace beamscope::test
