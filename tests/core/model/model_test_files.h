#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "common/safetensors_writer.h"
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

// The safetensors writer (safetensors_bytes, TensorToWrite, f32_bytes) is
// tests/common/safetensors_writer.h, shared by every test.

// config.json text for a GPT-2 config.
std::string gpt2_config_json(const Gpt2Config& config);
// Writes config.json + model.safetensors (F32, names with the prefix given).
void write_gpt2_folder(const std::filesystem::path& dir, const Gpt2Config& config,
                       Gpt2Weights& weights, const std::string& prefix = "transformer.");

// A small config used by tests that need a model but no reference numbers.
Gpt2Config tiny_gpt2_config();

}  // namespace beamscope::test
