// Hostile model folders and checkpoints of the newer families, through the
// real beamscope-cli (the GPT-2 catalogue is bad_inputs_cli_test.cpp). Each
// refusal must be a non-zero exit, nothing on stdout and ONE sentence on
// stderr that names the file and what is wrong in it. The folders are built
// here from a valid tiny Llama (random weights, the 259-token byte-level
// vocabulary of common/tiny_model_folder.h), so no reference is needed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "app/cli_test_util.h"
#include "common/tiny_model_folder.h"

namespace beamscope::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// hidden 8, 2 heads of 4, 1 KV head, 1 layer, MLP 12.
constexpr int kHidden = 8, kQ = 8, kKv = 4, kMlp = 12, kCtx = 16;

json llama_config() {
  return {{"architectures", {"LlamaForCausalLM"}},
          {"model_type", "llama"},
          {"vocab_size", kVocab},
          {"hidden_size", kHidden},
          {"intermediate_size", kMlp},
          {"num_hidden_layers", 1},
          {"num_attention_heads", 2},
          {"num_key_value_heads", 1},
          {"max_position_embeddings", kCtx},
          {"rms_norm_eps", 1e-5},
          {"rope_theta", 10000.0},
          {"tie_word_embeddings", true},
          {"bos_token_id", kEos},
          {"eos_token_id", kEos}};
}

std::vector<TensorToWrite> llama_tensors() {
  const std::vector<std::pair<std::string, std::vector<std::uint64_t>>> shapes = {
      {"model.embed_tokens.weight", {kVocab, kHidden}},
      {"model.layers.0.input_layernorm.weight", {kHidden}},
      {"model.layers.0.self_attn.q_proj.weight", {kQ, kHidden}},
      {"model.layers.0.self_attn.k_proj.weight", {kKv, kHidden}},
      {"model.layers.0.self_attn.v_proj.weight", {kKv, kHidden}},
      {"model.layers.0.self_attn.o_proj.weight", {kHidden, kQ}},
      {"model.layers.0.post_attention_layernorm.weight", {kHidden}},
      {"model.layers.0.mlp.gate_proj.weight", {kMlp, kHidden}},
      {"model.layers.0.mlp.up_proj.weight", {kMlp, kHidden}},
      {"model.layers.0.mlp.down_proj.weight", {kHidden, kMlp}},
      {"model.norm.weight", {kHidden}}};
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 0.3f);
  std::vector<TensorToWrite> out;
  for (const auto& [name, shape] : shapes) {
    std::uint64_t n = 1;
    for (auto s : shape) n *= s;
    std::vector<float> values(n);
    for (auto& v : values) v = normal(rng);
    out.push_back({name, "F32", shape, f32_bytes(values)});
  }
  return out;
}

// A folder: config.json, the tensors in one file or in `shards` files with
// an index, the tokenizer.
void write_llama(const fs::path& dir, const json& config, const std::vector<TensorToWrite>& tensors,
                 int shards = 1) {
  fs::create_directories(dir);
  spit(dir / "config.json", config.dump(1));
  write_tokenizer(dir);
  if (shards == 1) {
    spit(dir / "model.safetensors", safetensors_bytes(tensors));
    return;
  }
  json map = json::object();
  for (int k = 0; k < shards; ++k) {
    const std::string name =
        "model-0000" + std::to_string(k + 1) + "-of-0000" + std::to_string(shards) + ".safetensors";
    std::vector<TensorToWrite> part;
    for (std::size_t i = k; i < tensors.size(); i += shards) {
      part.push_back(tensors[i]);
      map[tensors[i].name] = name;
    }
    spit(dir / name, safetensors_bytes(part));
  }
  spit(dir / "model.safetensors.index.json",
       json{{"metadata", {{"total_size", 0}}}, {"weight_map", map}}.dump(1));
}

// One clear sentence (same rules as bad_inputs_cli_test.cpp) naming every keyword.
void expect_refused(const CliResult& r, const std::vector<std::string>& keywords) {
  EXPECT_NE(r.exit_code, 0) << "stdout: " << r.out;
  EXPECT_LT(r.exit_code, 128) << "the CLI died from a signal; stderr: " << r.err;
  EXPECT_EQ(r.out, "") << "stdout must stay empty on an error";
  ASSERT_FALSE(r.err.empty());
  const std::string sentence = r.err.substr(0, r.err.size() - 1);
  EXPECT_EQ(r.err.back(), '\n');
  EXPECT_EQ(sentence.find('\n'), std::string::npos) << "more than one line: " << r.err;
  ASSERT_FALSE(sentence.empty());
  EXPECT_EQ(sentence.back(), '.') << r.err;
  EXPECT_LT(sentence.size(), 400u) << r.err;
  for (const char* noise : {"Internal error", "[json.exception", "terminate", "what()"})
    EXPECT_EQ(sentence.find(noise), std::string::npos) << r.err;
  for (const auto& k : keywords)
    EXPECT_NE(sentence.find(k), std::string::npos) << "'" << k << "' missing in: " << r.err;
}

// The same, where the sentence may name any one of `alternatives` (a loader
// may catch one fault by either of two fields).
void expect_refused_naming_one_of(const CliResult& r, const std::vector<std::string>& keywords,
                                  const std::vector<std::string>& alternatives) {
  expect_refused(r, keywords);
  bool named = false;
  for (const auto& a : alternatives) named = named || r.err.find(a) != std::string::npos;
  EXPECT_TRUE(named) << "none of the expected names in: " << r.err;
}

// A llama2.c version-0 checkpoint of the same tiny Llama: 7 int32 (dim,
// hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len) then float32
// arrays; with `header` changed by the caller.
std::string llama2c_bytes(std::vector<std::int32_t> header, std::size_t floats) {
  std::string out(reinterpret_cast<const char*>(header.data()), header.size() * 4);
  std::vector<float> values(floats);
  std::mt19937 rng(9);
  std::normal_distribution<float> normal(0.0f, 0.3f);
  for (auto& v : values) v = normal(rng);
  return out + std::string(reinterpret_cast<const char*>(values.data()), floats * 4);
}
const std::vector<std::int32_t> kLlama2cHeader = {kHidden, kMlp, 1, 2, 1, kVocab, kCtx};
// Every array of kLlama2cHeader's model (shared classifier), the RoPE tables
// (seq_len x head_size/2, real and imaginary; head_size = 4) included.
constexpr std::size_t kLlama2cFloats = std::size_t{kVocab} * kHidden + kHidden + kQ * kHidden +
                                       2 * kKv * kHidden + kHidden * kQ + kHidden +
                                       3 * kMlp * kHidden + kHidden + kCtx * (kHidden / 2);

// llama2.c's tokenizer.bin: max token length, then score, length, bytes.
std::string llama2c_tokenizer_bytes() {
  std::vector<std::string> pieces = {"<unk>", "<s>", "</s>"};
  for (int b = 0; b < 256; ++b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    pieces.push_back(hex);
  }
  std::string out;
  auto put_i32 = [&](std::int32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  put_i32(6);
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const float score = -static_cast<float>(k);
    out.append(reinterpret_cast<const char*>(&score), 4);
    put_i32(static_cast<std::int32_t>(pieces[k].size()));
    out += pieces[k];
  }
  return out;
}

class HostileModels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("beamscope-hostile-" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  // A llama folder with `config` changed by `edit`; returns its path.
  static fs::path with_config(const std::string& name, const std::function<void(json&)>& edit) {
    json config = llama_config();
    edit(config);
    write_llama(root_ / name, config, llama_tensors());
    return root_ / name;
  }
  static CliResult next(const fs::path& model) {
    return run_cli({"next", "--model", model.string(), "--prompt-ids", "1,2,3", "--top", "3"});
  }
  // A tiny llama2.c checkpoint from `bytes`, with a valid tokenizer.bin.
  static CliResult next_llama2c(const std::string& name, const std::string& bytes) {
    const fs::path dir = root_ / name;
    fs::create_directories(dir);
    spit(dir / "model.bin", bytes);
    spit(dir / "tokenizer.bin", llama2c_tokenizer_bytes());
    return run_cli({"next", "--model", (dir / "model.bin").string(), "--tokenizer",
                    (dir / "tokenizer.bin").string(), "--prompt-ids", "1,2,3", "--top", "3"});
  }

  static fs::path root_;
};
fs::path HostileModels::root_;

TEST_F(HostileModels, UnknownModelTypeListsWhatIsSupported) {
  const auto dir = with_config("unknown-type", [](json& c) { c["model_type"] = "bert"; });
  expect_refused(next(dir), {"config.json", "'bert'", "gpt2"});
}

TEST_F(HostileModels, TheUnbrokenFoldersLoad) {
  // The baselines every case below breaks one thing of.
  write_llama(root_ / "whole", llama_config(), llama_tensors());
  CliResult r = next(root_ / "whole");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  write_llama(root_ / "sharded", llama_config(), llama_tensors(), 2);
  r = next(root_ / "sharded");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = next_llama2c("llama2c-whole", llama2c_bytes(kLlama2cHeader, kLlama2cFloats));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(HostileModels, UnsupportedRopeScalingIsRefusedByName) {
  const auto dir = with_config("rope-case", [](json& c) {
    c["rope_scaling"] = {
        {"rope_type", "yarn"}, {"factor", 4.0}, {"original_max_position_embeddings", 8}};
  });
  expect_refused(next(dir), {"config.json", "yarn"});
}

TEST_F(HostileModels, MissingTensorIsNamed) {
  auto tensors = llama_tensors();
  std::erase_if(tensors,
                [](const TensorToWrite& t) { return t.name.find("up_proj") != std::string::npos; });
  write_llama(root_ / "missing", llama_config(), tensors);
  expect_refused(next(root_ / "missing"), {"model.safetensors", "layers.0.mlp.up_proj.weight"});
}

TEST_F(HostileModels, MisshapedTensorIsNamed) {
  auto tensors = llama_tensors();
  for (auto& t : tensors) {
    if (t.name == "model.layers.0.self_attn.k_proj.weight") {
      t.shape = {kQ, kHidden};  // as if there were 2 KV heads, not 1
      t.data += t.data;
    }
  }
  write_llama(root_ / "misshaped", llama_config(), tensors);
  expect_refused(next(root_ / "misshaped"),
                 {"model.safetensors", "model.layers.0.self_attn.k_proj.weight"});
}

TEST_F(HostileModels, IndexNamingAMissingShardIsRefused) {
  write_llama(root_ / "lost-shard", llama_config(), llama_tensors(), 2);
  fs::remove(root_ / "lost-shard" / "model-00002-of-00002.safetensors");
  expect_refused(next(root_ / "lost-shard"), {"model-00002-of-00002.safetensors"});
}

TEST_F(HostileModels, OverlappingShardsAreRefused) {
  // The first shard also holds a tensor the index assigns to the second.
  const fs::path dir = root_ / "overlap";
  write_llama(dir, llama_config(), llama_tensors(), 2);
  auto tensors = llama_tensors();
  std::vector<TensorToWrite> first;
  for (std::size_t i = 0; i < tensors.size(); i += 2) first.push_back(tensors[i]);
  first.push_back(tensors[1]);
  spit(dir / "model-00001-of-00002.safetensors", safetensors_bytes(first));
  expect_refused(next(dir), {tensors[1].name});
}

TEST_F(HostileModels, ConfigFieldsOutOfRangeAreNamed) {
  struct Case {
    std::string name;
    std::function<void(json&)> edit;
    std::vector<std::string> one_of;
  };
  const std::vector<Case> cases = {
      {"heads-zero", [](json& c) { c["num_attention_heads"] = 0; }, {"num_attention_heads"}},
      {"kv-not-dividing", [](json& c) { c["num_key_value_heads"] = 3; }, {"num_key_value_heads"}},
      {"vocab-negative", [](json& c) { c["vocab_size"] = -5; }, {"vocab_size"}},
      {"context-zero",
       [](json& c) { c["max_position_embeddings"] = 0; },
       {"max_position_embeddings"}},
      {"eps-negative", [](json& c) { c["rms_norm_eps"] = -1.0; }, {"rms_norm_eps", "epsilon"}},
      {"theta-zero", [](json& c) { c["rope_theta"] = 0.0; }, {"rope_theta"}},
      {"mlp-zero", [](json& c) { c["intermediate_size"] = 0; }, {"intermediate_size"}},
      {"hidden-text", [](json& c) { c["hidden_size"] = "eight"; }, {"hidden_size"}},
      {"layers-huge",
       [](json& c) { c["num_hidden_layers"] = 1000000000; },
       {"num_hidden_layers", "model.layers.1."}},
      {"hidden-not-dividing",
       [](json& c) { c["hidden_size"] = 9; },
       {"hidden_size", "num_attention_heads"}},
      {"window-zero",
       [](json& c) {
         c["model_type"] = "mistral";
         c["sliding_window"] = 0;
       },
       {"sliding_window"}},
      {"scale-zero",
       [](json& c) {
         c["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 0.0}};
       },
       {"factor", "rope_scaling"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    expect_refused_naming_one_of(next(with_config(c.name, c.edit)), {"config.json"}, c.one_of);
  }
}

TEST_F(HostileModels, BrokenLlama2cCheckpointsAreNamed) {
  const std::string whole = llama2c_bytes(kLlama2cHeader, kLlama2cFloats);
  expect_refused(next_llama2c("l2c-truncated", whole.substr(0, whole.size() - 100)), {"model.bin"});
  expect_refused(next_llama2c("l2c-header-only", whole.substr(0, 20)), {"model.bin"});
  auto with = [&](int field, std::int32_t value) {
    std::vector<std::int32_t> header = kLlama2cHeader;
    header[field] = value;
    return llama2c_bytes(header, kLlama2cFloats);
  };
  expect_refused(next_llama2c("l2c-dim-zero", with(0, 0)), {"model.bin"});
  expect_refused(next_llama2c("l2c-heads-not-dividing", with(3, 3)), {"model.bin"});
  expect_refused(next_llama2c("l2c-kv-not-dividing", with(4, 3)), {"model.bin"});
  expect_refused(next_llama2c("l2c-layers-negative", with(2, -1)), {"model.bin"});
  // Sizes whose products overflow 64 bits must be caught before any arithmetic.
  expect_refused(next_llama2c("l2c-huge", with(0, 2147483600)), {"model.bin"});
  expect_refused(next_llama2c("l2c-seq-huge", with(6, 2147483600)), {"model.bin"});
}

}  // namespace
}  // namespace beamscope::test
