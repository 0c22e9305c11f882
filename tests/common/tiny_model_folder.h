#pragma once

// A valid tiny GPT-2 model folder written from scratch (random weights, a
// 259-token byte-level vocabulary, 16 positions), and the pieces to break it
// on purpose: the bad-inputs tests of the CLI (tests/app) and of the GUI
// (tests/ui) build their broken folders from these, so they need no
// downloaded or bundled model. Header-only: each test executable includes it.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/safetensors_writer.h"
#include "model/gpt2_config.h"
#include "model/gpt2_weights.h"
#include "tokenizer/byte_unicode.h"

namespace beamscope::test {

constexpr int kEmbd = 8, kHeads = 2, kLayers = 1, kPositions = 16;
// Two merges on top of the 256 byte tokens, then <|endoftext|>.
inline const std::vector<std::pair<std::string, std::string>> kMerges = {{"h", "e"}, {"Ġ", "t"}};
constexpr int kVocab = 256 + 2 + 1;
constexpr int kEos = kVocab - 1;

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Throws (rather than asserting) so that GoogleTest and Qt Test can share it.
inline void spit(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.good()) throw std::runtime_error("cannot write test file " + p.string());
}

inline Gpt2Config tiny_config(int vocab = kVocab) {
  Gpt2Config c;
  c.n_embd = kEmbd;
  c.n_head = kHeads;
  c.n_layer = kLayers;
  c.n_positions = kPositions;
  c.vocab_size = vocab;
  c.n_inner = 4 * kEmbd;
  return c;
}

// The tensors of a random tiny GPT-2, as the HF exporter names them.
inline std::vector<TensorToWrite> tiny_tensors(const Gpt2Config& config) {
  Gpt2Weights weights = random_gpt2_weights(config, /*seed=*/7);
  return gpt2_tensors(config, weights);
}

inline nlohmann::json config_json(const Gpt2Config& c) {
  return {
      {"model_type", "gpt2"}, {"n_embd", c.n_embd},           {"n_head", c.n_head},
      {"n_layer", c.n_layer}, {"n_positions", c.n_positions}, {"vocab_size", c.vocab_size},
      {"eos_token_id", kEos}, {"bos_token_id", kEos},         {"activation_function", "gelu_new"}};
}

inline void write_tokenizer(const std::filesystem::path& dir) {
  nlohmann::json vocab = nlohmann::json::object();
  for (int b = 0; b < 256; ++b) {
    vocab[bytes_to_vocab_string(std::string(1, static_cast<char>(b)))] = b;
  }
  std::string merges = "#version: 0.2\n";
  int id = 256;
  for (const auto& [left, right] : kMerges) {
    vocab[left + right] = id++;
    merges += left + " " + right + "\n";
  }
  vocab["<|endoftext|>"] = id;
  spit(dir / "vocab.json", vocab.dump());
  spit(dir / "merges.txt", merges);
}

inline void write_model_folder(const std::filesystem::path& dir, const Gpt2Config& config,
                               const std::vector<TensorToWrite>& tensors) {
  std::filesystem::create_directories(dir);
  spit(dir / "config.json", config_json(config).dump(1));
  spit(dir / "model.safetensors", safetensors_bytes(tensors));
  write_tokenizer(dir);
}

}  // namespace beamscope::test
