// The block formats of GGML's quantized types, written from the layout each
// block has in a GGUF file (a scale as a half, then packed integers). Values
// are decoded in float arithmetic; K-quants hold 256 values in a super-block
// with per-sub-block 4-, 6- or 8-bit scales. The quantized kernels
// (model/quant_kernels.cpp) compute the same values the same way; both files
// are compiled with -ffp-contract=off, so no multiply and add is fused in
// one and not the other.
#include "model/gguf/gguf_tensor_type.h"

#include <cstring>

#include "model/half_float.h"

namespace beamscope {

namespace {

using u8 = std::uint8_t;

float half_at(const u8* p) {
  std::uint16_t h;
  std::memcpy(&h, p, 2);
  return f16_to_f32(h);
}

// 32 values: half d, then 32 int8.
void q8_0(const u8* b, float* y) {
  const float d = half_at(b);
  for (int i = 0; i < 32; ++i) y[i] = d * static_cast<float>(static_cast<std::int8_t>(b[2 + i]));
}

// 32 values: half d [, half m], 16 bytes of nibbles: value i is the low
// nibble of byte i, value i + 16 the high nibble. Q4_0 centres at 8; Q4_1
// adds m instead.
void q4(const u8* b, float* y, bool with_min) {
  const float d = half_at(b);
  const float m = with_min ? half_at(b + 2) : 0.0f;
  const u8* qs = b + (with_min ? 4 : 2);
  const int centre = with_min ? 0 : 8;
  for (int i = 0; i < 16; ++i) {
    // Q4_0 adds no m (not even 0: (q - 8) d, as the kernel computes it).
    const float lo = static_cast<float>((qs[i] & 0xF) - centre) * d;
    const float hi = static_cast<float>((qs[i] >> 4) - centre) * d;
    y[i] = with_min ? lo + m : lo;
    y[i + 16] = with_min ? hi + m : hi;
  }
}

// Q4 with a fifth bit per value from a 32-bit mask (bit i for value i).
// Q5_0 centres at 16; Q5_1 adds m.
void q5(const u8* b, float* y, bool with_min) {
  const float d = half_at(b);
  const float m = with_min ? half_at(b + 2) : 0.0f;
  const u8* hp = b + (with_min ? 4 : 2);
  std::uint32_t high;
  std::memcpy(&high, hp, 4);
  const u8* qs = hp + 4;
  const int centre = with_min ? 0 : 16;
  for (int i = 0; i < 16; ++i) {
    const int lo = (qs[i] & 0xF) | static_cast<int>(((high >> i) & 1u) << 4);
    const int hi = (qs[i] >> 4) | static_cast<int>(((high >> (i + 16)) & 1u) << 4);
    y[i] = static_cast<float>(lo - centre) * d + m;
    y[i + 16] = static_cast<float>(hi - centre) * d + m;
  }
}

// 256 values: 16 scale bytes (low nibble scale, high nibble min), 64 bytes of
// 2-bit values, half d, half dmin. Each 128 values use 32 bytes: the 2-bit
// field at shift 2j of byte l is value 32j + l (l < 32); sub-blocks of 16
// take the scale bytes in order.
void q2_k(const u8* b, float* y) {
  const u8* scales = b;
  const u8* qs = b + 16;
  const float d = half_at(b + 80), dmin = half_at(b + 82);
  int s = 0;
  for (int half = 0; half < 2; ++half, qs += 32, y += 128) {
    for (int j = 0; j < 4; ++j) {
      for (int part = 0; part < 2; ++part, ++s) {
        const float scale = d * static_cast<float>(scales[s] & 0xF);
        const float min = dmin * static_cast<float>(scales[s] >> 4);
        for (int l = 0; l < 16; ++l) {
          const int q = (qs[part * 16 + l] >> (2 * j)) & 3;
          y[32 * j + part * 16 + l] = scale * static_cast<float>(q) - min;
        }
      }
    }
  }
}

// 256 values: 32 bytes of high bits, 64 bytes of 2-bit values, 12 bytes of
// sixteen 6-bit scales (biased by 32), half d. Layout as Q2_K; a value whose
// high bit is clear is lowered by 4. Scale j: low 4 bits from byte j (j < 8)
// or the high nibble of byte j - 8; top 2 bits from byte 8 + j % 4 at shift
// 2 (j / 4).
void q3_k(const u8* b, float* y) {
  const u8* hmask = b;
  const u8* qs = b + 32;
  const u8* sc = b + 96;
  const float d = half_at(b + 108);
  int s = 0;
  for (int half = 0; half < 2; ++half, qs += 32, y += 128) {
    for (int j = 0; j < 4; ++j) {
      const int bit = 4 * half + j;
      for (int part = 0; part < 2; ++part, ++s) {
        const int low = s < 8 ? (sc[s] & 0xF) : (sc[s - 8] >> 4);
        const int top = (sc[8 + s % 4] >> (2 * (s / 4))) & 3;
        const float scale = d * static_cast<float>((low | (top << 4)) - 32);
        for (int l = 0; l < 16; ++l) {
          const int i = part * 16 + l;
          int q = (qs[i] >> (2 * j)) & 3;
          if (!((hmask[i] >> bit) & 1)) q -= 4;
          y[32 * j + i] = scale * static_cast<float>(q);
        }
      }
    }
  }
}

// The eight 6-bit (scale, min) pairs of Q4_K / Q5_K, packed in 12 bytes:
// pairs 0-3 in the low 6 bits of bytes 0-3 / 4-7; pairs 4-7 take their low
// 4 bits from bytes 8-11 (scale low nibble, min high nibble) and their top 2
// bits from the top bits of bytes 0-3 / 4-7.
void scale_min_k4(const u8* q, int j, int& scale, int& min) {
  if (j < 4) {
    scale = q[j] & 63;
    min = q[j + 4] & 63;
  } else {
    scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

// 256 values: half d, half dmin, 12 scale bytes, [Q5_K: 32 bytes of fifth
// bits], 128 bytes of nibbles. Each 64 values use 32 bytes: low nibbles for
// the first 32 (sub-block 2i), high nibbles for the next (2i + 1).
void q45_k(const u8* b, float* y, bool five) {
  const float d = half_at(b), dmin = half_at(b + 2);
  const u8* sc = b + 4;
  const u8* qh = b + 16;
  const u8* qs = b + (five ? 48 : 16);
  for (int i = 0; i < 4; ++i, qs += 32, y += 64) {
    for (int part = 0; part < 2; ++part) {
      int scale, min;
      scale_min_k4(sc, 2 * i + part, scale, min);
      const float ds = d * static_cast<float>(scale), ms = dmin * static_cast<float>(min);
      for (int l = 0; l < 32; ++l) {
        int q = part ? (qs[l] >> 4) : (qs[l] & 0xF);
        if (five && ((qh[l] >> (2 * i + part)) & 1)) q += 16;
        y[part * 32 + l] = ds * static_cast<float>(q) - ms;
      }
    }
  }
}

// 256 values: 128 bytes of low nibbles, 64 bytes of 2-bit highs, 16 int8
// scales, half d. Each 128 values use 64 low bytes, 32 high bytes and 8
// scales; value 32k + l takes the nibble (k odd: high) of low byte
// l + 32 (k % 2), the 2 bits at shift 2k of high byte l, minus 32, and scale
// 2k + l / 16.
void q6_k(const u8* b, float* y) {
  const u8* ql = b;
  const u8* qh = b + 128;
  const auto* sc = reinterpret_cast<const std::int8_t*>(b + 192);
  const float d = half_at(b + 208);
  for (int half = 0; half < 2; ++half, ql += 64, qh += 32, sc += 8, y += 128) {
    for (int k = 0; k < 4; ++k) {
      for (int l = 0; l < 32; ++l) {
        const u8 low = ql[l + 32 * (k % 2)];
        const int nibble = k < 2 ? (low & 0xF) : (low >> 4);
        const int q = (nibble | (((qh[l] >> (2 * k)) & 3) << 4)) - 32;
        y[32 * k + l] = d * static_cast<float>(sc[2 * k + l / 16]) * static_cast<float>(q);
      }
    }
  }
}

}  // namespace

std::optional<GgmlTypeInfo> ggml_type_info(std::uint32_t id) {
  switch (static_cast<GgmlType>(id)) {
    case GgmlType::kF32:
      return GgmlTypeInfo{"F32", 1, 4, true};
    case GgmlType::kF16:
      return GgmlTypeInfo{"F16", 1, 2, true};
    case GgmlType::kBF16:
      return GgmlTypeInfo{"BF16", 1, 2, true};
    case GgmlType::kQ4_0:
      return GgmlTypeInfo{"Q4_0", 32, 18, true};
    case GgmlType::kQ4_1:
      return GgmlTypeInfo{"Q4_1", 32, 20, true};
    case GgmlType::kQ5_0:
      return GgmlTypeInfo{"Q5_0", 32, 22, true};
    case GgmlType::kQ5_1:
      return GgmlTypeInfo{"Q5_1", 32, 24, true};
    case GgmlType::kQ8_0:
      return GgmlTypeInfo{"Q8_0", 32, 34, true};
    case GgmlType::kQ8_1:
      return GgmlTypeInfo{"Q8_1", 32, 36, false};
    case GgmlType::kQ2_K:
      return GgmlTypeInfo{"Q2_K", 256, 84, true};
    case GgmlType::kQ3_K:
      return GgmlTypeInfo{"Q3_K", 256, 110, true};
    case GgmlType::kQ4_K:
      return GgmlTypeInfo{"Q4_K", 256, 144, true};
    case GgmlType::kQ5_K:
      return GgmlTypeInfo{"Q5_K", 256, 176, true};
    case GgmlType::kQ6_K:
      return GgmlTypeInfo{"Q6_K", 256, 210, true};
    case GgmlType::kQ8_K:
      return GgmlTypeInfo{"Q8_K", 256, 292, false};
    case GgmlType::kIQ2_XXS:
      return GgmlTypeInfo{"IQ2_XXS", 256, 66, false};
    case GgmlType::kIQ2_XS:
      return GgmlTypeInfo{"IQ2_XS", 256, 74, false};
    case GgmlType::kIQ3_XXS:
      return GgmlTypeInfo{"IQ3_XXS", 256, 98, false};
    case GgmlType::kIQ1_S:
      return GgmlTypeInfo{"IQ1_S", 256, 50, false};
    case GgmlType::kIQ4_NL:
      return GgmlTypeInfo{"IQ4_NL", 32, 18, false};
    case GgmlType::kIQ3_S:
      return GgmlTypeInfo{"IQ3_S", 256, 110, false};
    case GgmlType::kIQ2_S:
      return GgmlTypeInfo{"IQ2_S", 256, 82, false};
    case GgmlType::kIQ4_XS:
      return GgmlTypeInfo{"IQ4_XS", 256, 136, false};
    case GgmlType::kI8:
      return GgmlTypeInfo{"I8", 1, 1, false};
    case GgmlType::kI16:
      return GgmlTypeInfo{"I16", 1, 2, false};
    case GgmlType::kI32:
      return GgmlTypeInfo{"I32", 1, 4, false};
    case GgmlType::kI64:
      return GgmlTypeInfo{"I64", 1, 8, false};
    case GgmlType::kF64:
      return GgmlTypeInfo{"F64", 1, 8, false};
    case GgmlType::kIQ1_M:
      return GgmlTypeInfo{"IQ1_M", 256, 56, false};
    case GgmlType::kTQ1_0:
      return GgmlTypeInfo{"TQ1_0", 256, 54, false};
    case GgmlType::kTQ2_0:
      return GgmlTypeInfo{"TQ2_0", 256, 66, false};
    case GgmlType::kMXFP4:
      return GgmlTypeInfo{"MXFP4", 32, 17, false};
  }
  return std::nullopt;
}

std::string ggml_type_name(GgmlType type) {
  const auto info = ggml_type_info(static_cast<std::uint32_t>(type));
  return info ? info->name : "type " + std::to_string(static_cast<std::uint32_t>(type));
}

void dequantize(GgmlType type, const std::byte* blocks, std::size_t count, float* out) {
  const auto* b = reinterpret_cast<const u8*>(blocks);
  const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(type));
  const std::size_t n = count / info.block;
  for (std::size_t i = 0; i < n; ++i, b += info.block_bytes, out += info.block) {
    switch (type) {
      case GgmlType::kF32:
        std::memcpy(out, b, 4);
        break;
      case GgmlType::kF16:
        *out = half_at(b);
        break;
      case GgmlType::kBF16: {
        std::uint16_t h;
        std::memcpy(&h, b, 2);
        *out = bf16_to_f32(h);
        break;
      }
      case GgmlType::kQ8_0:
        q8_0(b, out);
        break;
      case GgmlType::kQ4_0:
        q4(b, out, false);
        break;
      case GgmlType::kQ4_1:
        q4(b, out, true);
        break;
      case GgmlType::kQ5_0:
        q5(b, out, false);
        break;
      case GgmlType::kQ5_1:
        q5(b, out, true);
        break;
      case GgmlType::kQ2_K:
        q2_k(b, out);
        break;
      case GgmlType::kQ3_K:
        q3_k(b, out);
        break;
      case GgmlType::kQ4_K:
        q45_k(b, out, false);
        break;
      case GgmlType::kQ5_K:
        q45_k(b, out, true);
        break;
      case GgmlType::kQ6_K:
        q6_k(b, out);
        break;
      default:
        break;  // the caller checked info.dequantizable
    }
  }
}

}  // namespace beamscope
