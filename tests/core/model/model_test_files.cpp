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

std::string safetensors_bytes(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  const std::uint64_t n = header.size();
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

std::string safetensors_bytes(const std::vector<TensorToWrite>& tensors) {
  nlohmann::json header = nlohmann::json::object();
  std::string data;
  for (const auto& t : tensors) {
    header[t.name] = {{"dtype", t.dtype},
                      {"shape", t.shape},
                      {"data_offsets", {data.size(), data.size() + t.data.size()}}};
    data += t.data;
  }
  return safetensors_bytes(header.dump(), data);
}

std::string f32_bytes(std::span<const float> values) {
  std::string out(values.size() * 4, '\0');
  std::memcpy(out.data(), values.data(), out.size());
  return out;
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
  std::vector<TensorToWrite> tensors;
  for_each_gpt2_tensor(config, weights,
                       [&](const std::string& name, const auto& shape, FloatBuffer& storage) {
                         tensors.push_back({prefix + name, "F32", shape, f32_bytes(storage)});
                       });
  if (!weights.tied_head()) {
    tensors.push_back(
        {"lm_head.weight",
         "F32",
         {static_cast<std::uint64_t>(config.vocab_size), static_cast<std::uint64_t>(config.n_embd)},
         f32_bytes(weights.lm_head)});
  }
  std::filesystem::create_directories(dir);
  write_bytes(dir / "model.safetensors", safetensors_bytes(tensors));
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
