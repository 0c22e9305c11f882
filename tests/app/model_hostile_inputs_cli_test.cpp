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

  static fs::path root_;
};
fs::path HostileModels::root_;

TEST_F(HostileModels, UnknownModelTypeListsWhatIsSupported) {
  const auto dir = with_config("bert", [](json& c) { c["model_type"] = "bert"; });
  expect_refused(next(dir), {"config.json", "'bert'", "gpt2"});
}

}  // namespace
}  // namespace beamscope::test
