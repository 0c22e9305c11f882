#include "model_test_files.h"

#include <unistd.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

namespace beamscope::test {

TempDir::TempDir() {
  static int counter = 0;
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("beamscope-model-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + "-" +
           std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string gpt2_config_json(const Gpt2Config& c) {
  nlohmann::json j = {{"model_type", "gpt2"},
                      {"n_embd", c.n_embd},
                      {"n_head", c.n_head},
                      {"n_layer", c.n_layer},
                      {"n_positions", c.n_positions},
                      {"vocab_size", c.vocab_size},
                      {"n_inner", c.n_inner},
                      {"layer_norm_epsilon", c.layer_norm_epsilon},
                      {"activation_function",
                       c.activation == Gpt2Config::Activation::GeluTanh ? "gelu_new" : "gelu"}};
  return j.dump(2);
}

void write_gpt2_folder(const std::filesystem::path& dir, const Gpt2Config& config,
                       Gpt2Weights& weights, const std::string& prefix) {
  std::filesystem::create_directories(dir);
  write_bytes(dir / "model.safetensors", safetensors_bytes(gpt2_tensors(config, weights, prefix)));
  write_bytes(dir / "config.json", gpt2_config_json(config));
}

Gpt2Config tiny_gpt2_config() {
  Gpt2Config c;
  c.n_embd = 32;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_positions = 24;
  c.vocab_size = 50;
  c.n_inner = 128;
  return c;
}

}  // namespace beamscope::test
