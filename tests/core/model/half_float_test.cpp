// Half-precision widening checked exhaustively against the IEEE 754 definition
// evaluated with ldexp (an independent formula, not bit manipulation).
#include "model/half_float.h"

#include <gtest/gtest.h>

#include <cmath>

namespace beamscope {
namespace {

float f16_by_definition(std::uint16_t h) {
  const int sign = (h >> 15) ? -1 : 1;
  const int exponent = (h >> 10) & 0x1f;
  const int mantissa = h & 0x3ff;
  if (exponent == 0) return sign * std::ldexp(static_cast<float>(mantissa), -24);  // subnormal
  if (exponent == 31) return mantissa ? NAN : sign * INFINITY;
  return sign * std::ldexp(1.0f + mantissa / 1024.0f, exponent - 15);
}

TEST(HalfFloat, F16MatchesTheDefinitionForAll65536Values) {
  int checked = 0;
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto h = static_cast<std::uint16_t>(bits);
    const float got = f16_to_f32(h);
    const float want = f16_by_definition(h);
    if (std::isnan(want)) {
      ASSERT_TRUE(std::isnan(got)) << std::hex << bits;
    } else {
      ASSERT_EQ(got, want) << std::hex << bits;
      ASSERT_EQ(std::signbit(got), std::signbit(want)) << std::hex << bits;  // -0.0
    }
    ++checked;
  }
  EXPECT_EQ(checked, 65536);
}

TEST(HalfFloat, Bf16IsTheUpperHalfOfAFloat) {
  for (std::uint32_t bits = 0; bits <= 0xffff; bits += 7) {
    const float got = bf16_to_f32(static_cast<std::uint16_t>(bits));
    const int exponent = (bits >> 7) & 0xff;
    const int mantissa = bits & 0x7f;
    const int sign = (bits >> 15) ? -1 : 1;
    if (exponent == 0xff) {
      EXPECT_TRUE(mantissa ? std::isnan(got) : std::isinf(got)) << bits;
    } else if (exponent == 0) {
      EXPECT_EQ(got, sign * std::ldexp(static_cast<float>(mantissa), -133)) << bits;
    } else {
      EXPECT_EQ(got, sign * std::ldexp(1.0f + mantissa / 128.0f, exponent - 127)) << bits;
    }
  }
}

TEST(HalfFloat, ExactNarrowingGivesBackEveryHalfAndRefusesWhatWouldRound) {
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto h = static_cast<std::uint16_t>(bits);
    const float f = f16_to_f32(h);
    if (std::isnan(f)) {
      EXPECT_FALSE(f32_to_f16_exact(f).has_value()) << std::hex << bits;
      continue;
    }
    const auto back = f32_to_f16_exact(f);
    ASSERT_TRUE(back.has_value()) << std::hex << bits;
    ASSERT_EQ(*back, h) << std::hex << bits;
    // The next float either way lies between two halves (or beyond them).
    if (!std::isinf(f)) {
      ASSERT_FALSE(f32_to_f16_exact(std::nextafter(f, INFINITY)).has_value()) << std::hex << bits;
      ASSERT_FALSE(f32_to_f16_exact(std::nextafter(f, -INFINITY)).has_value()) << std::hex << bits;
    }
  }
  EXPECT_FALSE(f32_to_f16_exact(65520.0f).has_value());               // would round to infinity
  EXPECT_FALSE(f32_to_f16_exact(std::ldexp(1.0f, -25)).has_value());  // half of the smallest
  EXPECT_FALSE(f32_to_f16_exact(0.1f).has_value());
}

}  // namespace
}  // namespace beamscope
