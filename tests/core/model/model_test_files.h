#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "model/gpt2_config.h"
#include "model/gpt2_weights.h"

namespace beamscope::test {

// A fresh, empty directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void write_bytes(const std::filesystem::path& path, const std::string& bytes);

// 8-byte little-endian header length + header text + data, exactly as given
// (no validation, so tests can build broken files).
std::string safetensors_bytes(const std::string& header, const std::string& data);

struct TensorToWrite {
  std::string name;
  std::string dtype;  // "F32", "F16", "BF16", ...
  std::vector<std::uint64_t> shape;
  std::string data;  // raw little-endian bytes
};
// A valid safetensors file from tensors laid out back to back.
std::string safetensors_bytes(const std::vector<TensorToWrite>& tensors);
std::string f32_bytes(std::span<const float> values);
inline std::string f32_bytes(const std::vector<float>& values) {
  return f32_bytes(std::span<const float>(values));
}

// config.json text for a GPT-2 config.
std::string gpt2_config_json(const Gpt2Config& config);
// Writes config.json + model.safetensors (F32, names with the prefix given).
void write_gpt2_folder(const std::filesystem::path& dir, const Gpt2Config& config,
                       Gpt2Weights& weights, const std::string& prefix = "transformer.");

// A small config used by tests that need a model but no reference numbers.
Gpt2Config tiny_gpt2_config();

}  // namespace beamscope::test
