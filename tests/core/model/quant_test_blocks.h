#pragma once

// Random GGUF quantized rows for the quantized-kernel tests: random bytes
// with finite half-float scales are valid blocks of every type.
#include <Eigen/Core>
#include <cstddef>
#include <cstring>
#include <random>
#include <vector>

#include "model/gguf/gguf_tensor_type.h"

namespace beamscope {

// Byte offsets of each type's half-float fields (scales), which must be
// finite; every other byte may be anything.
inline std::vector<int> half_fields(GgmlType type) {
  switch (type) {
    case GgmlType::kQ8_0:
    case GgmlType::kQ4_0:
    case GgmlType::kQ5_0:
      return {0};
    case GgmlType::kQ4_1:
    case GgmlType::kQ5_1:
    case GgmlType::kQ4_K:
    case GgmlType::kQ5_K:
      return {0, 2};
    case GgmlType::kQ2_K:
      return {80, 82};
    case GgmlType::kQ3_K:
      return {108};
    case GgmlType::kQ6_K:
      return {208};
    default:
      return {};
  }
}

// `rows` GGUF rows of K values each, random valid blocks.
inline std::vector<std::byte> random_rows(GgmlType type, Eigen::Index rows, Eigen::Index K,
                                          std::mt19937& rng) {
  const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(type));
  const std::size_t blocks = static_cast<std::size_t>(rows * K / info.block);
  std::vector<std::byte> bytes(blocks * info.block_bytes);
  std::uniform_int_distribution<int> byte(0, 255);
  for (auto& b : bytes) b = static_cast<std::byte>(byte(rng));
  // Halves with exponents 2^-12 .. 2^-3, either sign: finite, and products
  // of a realistic size.
  std::uniform_int_distribution<int> exponent(3, 12), mantissa(0, 1023), sign(0, 1);
  for (std::size_t i = 0; i < blocks; ++i) {
    for (int at : half_fields(type)) {
      const auto h = static_cast<std::uint16_t>((sign(rng) << 15) | ((15 - exponent(rng)) << 10) |
                                                mantissa(rng));
      std::memcpy(bytes.data() + i * info.block_bytes + at, &h, 2);
    }
  }
  return bytes;
}

}  // namespace beamscope
