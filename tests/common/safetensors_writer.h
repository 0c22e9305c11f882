#pragma once

// The one safetensors writer of the tests: valid files from tensors, and the
// raw pieces (header text + data, exactly as given) to build broken ones.
// Header-only and free of GoogleTest and Qt, so every test executable, the
// GUI tests included, can use it.
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/gpt2_config.h"
#include "model/gpt2_weights.h"

namespace beamscope::test {

struct TensorToWrite {
  std::string name;
  std::string dtype;  // "F32", "F16", "BF16", ...
  std::vector<std::uint64_t> shape;
  std::string data;  // raw little-endian bytes
};

// 8-byte little-endian header length + header text + data, exactly as given
// (no validation, so tests can build broken files).
inline std::string safetensors_bytes(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  const std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

// A valid file: the tensors laid out back to back in the order given.
inline std::string safetensors_bytes(const std::vector<TensorToWrite>& tensors) {
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

inline std::string f32_bytes(std::span<const float> values) {
  std::string out(values.size() * sizeof(float), '\0');
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}
inline std::string f32_bytes(const std::vector<float>& values) {
  return f32_bytes(std::span<const float>(values));
}

// GPT-2 weights as F32 tensors named as Hugging Face's exporter names them
// (`prefix` + "h.0.ln_1.weight", ...), plus "lm_head.weight" when the head is
// not tied to the embedding.
inline std::vector<TensorToWrite> gpt2_tensors(const Gpt2Config& config, Gpt2Weights& weights,
                                               const std::string& prefix = "transformer.") {
  std::vector<TensorToWrite> tensors;
  for_each_gpt2_tensor(
      config, weights,
      [&](const std::string& name, const std::vector<std::uint64_t>& shape, FloatBuffer& storage) {
        tensors.push_back({prefix + name, "F32", shape,
                           f32_bytes(std::span<const float>(storage.data(), storage.size()))});
      });
  if (!weights.tied_head()) {
    tensors.push_back(
        {"lm_head.weight",
         "F32",
         {static_cast<std::uint64_t>(config.vocab_size), static_cast<std::uint64_t>(config.n_embd)},
         f32_bytes(std::span<const float>(weights.lm_head.data(), weights.lm_head.size()))});
  }
  return tensors;
}

}  // namespace beamscope::test
