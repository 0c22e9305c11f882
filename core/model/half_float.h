#pragma once

#include <bit>
#include <cstdint>
#include <optional>

namespace beamscope {

// IEEE 754 binary16 -> binary32, exact for every input: zeros, subnormals
// (renormalised), normals, infinities and NaNs (payload kept).
inline float f16_to_f32(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1fu;
  std::uint32_t mantissa = h & 0x3ffu;
  std::uint32_t bits;
  if (exponent == 0x1f) {  // inf / NaN
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal: rebias 15 -> 127
    bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // signed zero
    bits = sign;
  } else {
    // Subnormal (mantissa * 2^-24): shift until the implicit bit appears;
    // every shift lowers the float32 exponent by one.
    std::uint32_t shifts = 0;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      ++shifts;
    }
    bits = sign | ((113u - shifts) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

// bfloat16 is the top half of a float32, so widening is a shift.
inline float bf16_to_f32(std::uint16_t b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

// binary32 -> binary16 when the value is exactly a half (zeros, subnormal
// and normal halves, infinities); nullopt for anything that would round, and
// for NaN. Used to keep F16 weights as halves in memory: narrowing only what
// widening gives back bit for bit can never change a result.
inline std::optional<std::uint16_t> f32_to_f16_exact(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  const std::uint16_t sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t exponent = (bits >> 23) & 0xffu;
  const std::uint32_t mantissa = bits & 0x7fffffu;
  if (exponent == 0xff) {  // inf narrows; NaN payloads are not worth keeping exact
    if (mantissa != 0) return std::nullopt;
    return static_cast<std::uint16_t>(sign | 0x7c00u);
  }
  if (exponent == 0 && mantissa == 0) return sign;  // signed zero
  const int e =
      static_cast<int>(exponent) - 127;  // value = 1.m * 2^e (float subnormals: too small)
  if (exponent == 0 || e > 15 || e < -24) return std::nullopt;
  if (e >= -14) {  // normal half: 10 mantissa bits, the low 13 must be zero
    if (mantissa & 0x1fffu) return std::nullopt;
    return static_cast<std::uint16_t>(sign | ((e + 15) << 10) | (mantissa >> 13));
  }
  // Subnormal half: value = m * 2^-24 with m < 1024, i.e. (1.m) shifted right.
  const std::uint32_t full = mantissa | 0x800000u;  // 24 significant bits
  const int shift = 13 + (-14 - e);                 // bits dropped
  if (full & ((1u << shift) - 1)) return std::nullopt;
  return static_cast<std::uint16_t>(sign | (full >> shift));
}

// binary32 -> bfloat16 when the value is exactly one (its low 16 bits are
// zero; NaN excluded, as above): a BF16 file's values, widened on loading,
// narrow back bit for bit.
inline std::optional<std::uint16_t> f32_to_bf16_exact(float f) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(f);
  if ((bits & 0xffffu) != 0) return std::nullopt;
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu) != 0) return std::nullopt;
  return static_cast<std::uint16_t>(bits >> 16);
}

}  // namespace beamscope
