// Hostile JSON nesting in every JSON file Beamscope reads. nlohmann parses
// iteratively, but printing a value (dump) and copying one recurse once per
// level: a 300 KB file of "[[[[..." could overflow the stack if any error
// path printed or copied it. Each loader must refuse such a file with a
// beamscope::Error that names the file; a crash fails the whole test binary.
// (The fuzzers cannot find this: their inputs stay a few KB.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "io/session.h"
#include "model/gpt2_config.h"
#include "model/safetensors.h"
#include "tokenizer/tokenizer_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

namespace fs = std::filesystem;

constexpr int kDepth = 300000;
const std::string kDeep = std::string(kDepth, '[') + std::string(kDepth, ']');

class DeepJson : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("beamscope-deep-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  fs::path dir_;
};

// Runs `load` and expects a beamscope::Error whose message contains `name`.
template <typename Load>
void expect_refusal_naming(const std::string& name, Load load) {
  try {
    load();
    ADD_FAILURE() << "accepted a deeply nested " << name;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

TEST_F(DeepJson, ConfigValue) {
  for (const char* key :
       {"n_embd", "n_layer", "layer_norm_epsilon", "activation_function", "scale_attn_weights"}) {
    SCOPED_TRACE(key);
    std::string text = R"({"n_embd": 8, "n_head": 2, "n_layer": 1, "n_positions": 8,
                           "vocab_size": 16, ")" +
                       std::string(key) + "\": " + kDeep + "}";
    // A duplicate key: nlohmann keeps the last, the deep one.
    const auto json = nlohmann::json::parse(text);
    expect_refusal_naming("config.json", [&] { parse_gpt2_config(json, "config.json"); });
  }
}

TEST_F(DeepJson, SafetensorsShapeEntry) {
  const std::string header =
      R"({"a": {"dtype": "F32", "shape": [)" + kDeep + R"(], "data_offsets": [0, 4]}})";
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  const fs::path p = write("model.safetensors", bytes + header + "abcd");
  expect_refusal_naming("model.safetensors", [&] { SafetensorsFile file(p); });
}

TEST_F(DeepJson, SafetensorsMetadata) {
  const std::string header = R"({"__metadata__": {"k": )" + kDeep + "}}";
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  const fs::path p = write("model.safetensors", bytes + header);
  expect_refusal_naming("model.safetensors", [&] { SafetensorsFile file(p); });
}

TEST_F(DeepJson, VocabJson) {
  const fs::path vocab = write("vocab.json", R"({"a": 0, "b": )" + kDeep + "}");
  const fs::path merges = write("merges.txt", "#version: 0.2\n");
  expect_refusal_naming("vocab.json", [&] { read_vocab_and_merges(vocab, merges); });
}

TEST_F(DeepJson, TokenizerConfig) {
  const fs::path vocab = write("vocab.json", R"({"a": 0})");
  const fs::path merges = write("merges.txt", "#version: 0.2\n");
  const fs::path config = write("tokenizer_config.json", R"({"eos_token": )" + kDeep + "}");
  expect_refusal_naming("tokenizer_config.json",
                        [&] { read_vocab_and_merges(vocab, merges, config); });
}

TEST_F(DeepJson, TokenizerJson) {
  for (const std::string& body :
       {R"({"model": {"type": )" + kDeep + "}}",
        R"({"model": {"type": "BPE", "vocab": )" + kDeep + "}}",
        R"({"model": {"type": "BPE", "vocab": {}, "merges": [)" + kDeep + "]}}",
        R"({"added_tokens": [)" + kDeep +
            R"(], "model": {"type": "BPE", "vocab": {}, "merges": []}})",
        R"({"pre_tokenizer": )" + kDeep +
            R"(, "model": {"type": "BPE", "vocab": {}, "merges": []}})"}) {
    const fs::path p = write("tokenizer.json", body);
    expect_refusal_naming("tokenizer.json", [&] { read_tokenizer_json(p); });
  }
}

TEST_F(DeepJson, SessionFields) {
  const std::string start = R"({"format": "beamscope-tree", "version": 1,
    "model": {"path": "m", "architecture": "gpt2", "vocab_size": 16},
    "params": {"strategy": "greedy"}, "prompt": {"text": "a", "ids": [1]}, )";
  for (const std::string& rest :
       {R"("nodes": [{"id": )" + kDeep +
            R"(, "parent": null, "step": 0, "status": "root"}], "sequences": []})",
        R"("nodes": [)" + kDeep + R"(], "sequences": []})",
        R"("nodes": [{"id": 0, "parent": null, "step": 0, "status": )" + kDeep +
            R"(}], "sequences": []})",
        R"("nodes": [{"id": 0, "parent": null, "step": 0, "status": "root"}], "sequences": [)" +
            kDeep + "]}",
        R"("nodes": [{"id": 0, "parent": null, "step": 0, "status": "root", "next": )" + kDeep +
            R"(}], "sequences": []})"}) {
    const fs::path p = write("deep.json", start + rest);
    expect_refusal_naming("deep.json", [&] { load_session(p); });
  }
}

}  // namespace
}  // namespace beamscope
