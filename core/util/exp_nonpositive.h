#pragma once

#include <bit>
#include <cstdint>

namespace beamscope {

// exp(x) for x <= 0, in double, to within a few units in the last place, as a
// plain branch-free function that the compiler vectorises over a loop (glibc's
// exp is one call per value; Eigen's vectorised double exp uses 4 lanes here).
// It serves the log-sum-exp of whole vocabularies, where every x is a score
// minus the maximum: x below -708 (and -inf) gives exp(-708) ≈ 3e-308, which
// cannot change a sum that holds the maximum's 1. (Vectorised only where
// trapping math is off: core/CMakeLists.txt sets that for its one user.)
inline double exp_nonpositive(double x) {
  // x = k·ln2 + r with |r| <= ln2/2; exp(x) = 2^k · exp(r).
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2High = 0.6931471803691238;  // ln 2 split so k·kLn2High is exact
  constexpr double kLn2Low = 1.9082149292705877e-10;
  constexpr double kRound = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer
  const double clamped = x > -708.0 ? x : -708.0;
  const double shifted = clamped * kLog2e + kRound;
  const double k = shifted - kRound;
  const double r = (clamped - k * kLn2High) - k * kLn2Low;
  // exp(r) by its Taylor series to r^13/13!: the first omitted term is below
  // 4e-18 of the result for |r| <= ln2/2.
  double p = 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^k from the exponent bits. `shifted`'s low mantissa bits hold 2^51 + k,
  // so its bits + 1023, shifted left by 52, keep (k + 1023) mod 2^12: the
  // biased exponent of 2^k, k being in [-1022, 0] after the clamp.
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(shifted);
  const double scale = std::bit_cast<double>((bits + 1023) << 52);
  return p * scale;
}

}  // namespace beamscope
