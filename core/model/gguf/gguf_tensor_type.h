#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace beamscope {

// GGML's tensor type ids (ggml.h's enum ggml_type, as GGUF stores them).
enum class GgmlType : std::uint32_t {
  kF32 = 0,
  kF16 = 1,
  kQ4_0 = 2,
  kQ4_1 = 3,
  kQ5_0 = 6,
  kQ5_1 = 7,
  kQ8_0 = 8,
  kQ8_1 = 9,
  kQ2_K = 10,
  kQ3_K = 11,
  kQ4_K = 12,
  kQ5_K = 13,
  kQ6_K = 14,
  kQ8_K = 15,
  kIQ2_XXS = 16,
  kIQ2_XS = 17,
  kIQ3_XXS = 18,
  kIQ1_S = 19,
  kIQ4_NL = 20,
  kIQ3_S = 21,
  kIQ2_S = 22,
  kIQ4_XS = 23,
  kI8 = 24,
  kI16 = 25,
  kI32 = 26,
  kI64 = 27,
  kF64 = 28,
  kIQ1_M = 29,
  kBF16 = 30,
  kTQ1_0 = 34,
  kTQ2_0 = 35,
  kMXFP4 = 39,
};

// How a type is laid out: `block` values take `block_bytes` bytes.
struct GgmlTypeInfo {
  const char* name;
  std::uint32_t block;
  std::uint32_t block_bytes;
  bool dequantizable;  // Beamscope can turn it into floats
};

// nullopt for an id GGML never had (or has retired).
std::optional<GgmlTypeInfo> ggml_type_info(std::uint32_t id);
std::string ggml_type_name(GgmlType type);

// Decodes `count` values (a whole number of blocks) of `type` starting at
// `blocks` into `out`, in float arithmetic as GGML defines each format:
// F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K.
// The caller has checked the type is dequantizable and the bytes exist.
void dequantize(GgmlType type, const std::byte* blocks, std::size_t count, float* out);

}  // namespace beamscope
