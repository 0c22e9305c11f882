// Matrices packed in a PanelArena are the same matrices as packed alone
// (floats, halves and bfloat16s, partial last panels), products give the
// same bits, the tail a narrowed matrix gives back is reused, and blocks
// outlive the arena that handed them out.
#include "model/panel_arena.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstring>
#include <vector>

#include "model/half_float.h"
#include "model/panel_matrix.h"

namespace beamscope {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Random values that an F16 file holds exactly (multiples of 2^-8 in
// [-1, 1]), or a BF16 file but not F16 (the same scaled by 2^-30, below F16's
// smallest subnormal), or neither (plain random floats).
RowMatrix rounded(Eigen::Index K, Eigen::Index N, PanelMatrix::Storage s) {
  RowMatrix w = RowMatrix::Random(K, N);
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    float& v = w.data()[i];
    if (s == PanelMatrix::Storage::kF16) v = std::round(v * 256.0f) / 256.0f;
    if (s == PanelMatrix::Storage::kBF16) v = std::ldexp(std::round(v * 128.0f) / 128.0f, -30);
  }
  return w;
}

void expect_same(const PanelMatrix& a, const PanelMatrix& b) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.cols(), b.cols());
  EXPECT_EQ(a.storage(), b.storage());
  EXPECT_EQ(a.bytes(), b.bytes());
  const RowMatrix x = RowMatrix::Random(3, a.rows());
  RowMatrix ya(3, a.cols()), yb(3, a.cols());
  a.multiply(x.data(), 3, ya.data(), false);
  b.multiply(x.data(), 3, yb.data(), false);
  EXPECT_EQ(std::memcmp(ya.data(), yb.data(), sizeof(float) * ya.size()), 0);
  for (Eigen::Index k = 0; k < a.rows(); k += 7) {
    for (Eigen::Index n = 0; n < a.cols(); ++n) ASSERT_EQ(a.at(k, n), b.at(k, n));
  }
}

TEST(PanelArena, PackedInPlaceEqualsPackedAloneForEveryStorage) {
  using S = PanelMatrix::Storage;
  PanelArena arena(std::size_t{4} << 20);                 // small chunks: the test crosses several
  std::vector<std::pair<PanelMatrix, PanelMatrix>> kept;  // (alone, in the arena)
  for (S s : {S::kF32, S::kF16, S::kBF16}) {
    for (auto [K, N] : {std::pair<Eigen::Index, Eigen::Index>{37, 45}, {64, 32}, {300, 1000}}) {
      SCOPED_TRACE(::testing::Message() << int(s) << " " << K << "x" << N);
      const RowMatrix w = rounded(K, N, s);
      const RowMatrix w_t = w.transpose();
      const PanelMatrix alone = PanelMatrix::from_rows(w.data(), K, N);
      EXPECT_EQ(alone.storage(), s);
      const PanelMatrix rows = PanelMatrix::from_rows(w.data(), K, N, arena);
      const PanelMatrix transposed = PanelMatrix::from_transposed(w_t.data(), K, N, arena);
      expect_same(alone, rows);
      expect_same(alone, transposed);
      kept.emplace_back(alone, rows);
    }
  }
  // Each is intact after all the later ones were packed (a tail given back
  // must never be one a matrix still uses).
  for (const auto& [alone, in_arena] : kept) expect_same(alone, in_arena);
}

// The bits a file holds for `w`'s values (each exact in that format).
std::vector<std::uint16_t> bits_of(const RowMatrix& w, PanelMatrix::Storage format) {
  std::vector<std::uint16_t> bits;
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    const float v = w.data()[i];
    bits.push_back(format == PanelMatrix::Storage::kF16 ? *f32_to_f16_exact(v)
                                                        : *f32_to_bf16_exact(v));
  }
  return bits;
}

TEST(PanelArena, SixteenBitSourcesGiveTheMatrixTheFloatPathGives) {
  using S = PanelMatrix::Storage;
  PanelArena arena;
  // (values, the file's format): F16 values in an F16 file and in a BF16
  // file (those fit F16: held as F16 either way), BF16-only values.
  const std::vector<std::pair<S, S>> cases = {
      {S::kF16, S::kF16}, {S::kF16, S::kBF16}, {S::kBF16, S::kBF16}};
  for (auto [values, format] : cases) {
    for (auto [K, N] : {std::pair<Eigen::Index, Eigen::Index>{37, 45}, {300, 1000}}) {
      SCOPED_TRACE(::testing::Message()
                   << int(values) << " in " << int(format) << " " << K << "x" << N);
      RowMatrix w = rounded(K, N, values);
      if (values == S::kF16 && format == S::kBF16) {
        w = (w * 4.0f).array().round() / 4.0f;  // few mantissa bits: exact in both
      }
      const RowMatrix w_t = w.transpose();
      const PanelMatrix alone = PanelMatrix::from_rows(w.data(), K, N);
      const auto rows = bits_of(w, format), transposed = bits_of(w_t, format);
      expect_same(alone, PanelMatrix::from_rows(rows.data(), format, K, N, arena));
      expect_same(alone, PanelMatrix::from_transposed(transposed.data(), format, K, N, arena));
    }
  }
}

TEST(PanelArena, StackedPartsGiveTheMatrixOfTheStackedRows) {
  // q, k and v (or gate and up) projections read where the file holds them:
  // the same matrix as their rows copied one after the other. Part sizes
  // that end inside a panel and inside a block of 8 rows; K with a tail.
  using S = PanelMatrix::Storage;
  PanelArena arena;
  for (S s : {S::kF16, S::kBF16}) {
    for (Eigen::Index K : {8, 37, 64}) {
      SCOPED_TRACE(::testing::Message() << int(s) << " K " << K);
      const std::vector<Eigen::Index> counts = {20, 5, 3, 40};
      Eigen::Index N = 0;
      for (auto c : counts) N += c;
      const RowMatrix w_t = rounded(N, K, s);  // [N, K]: the rows of W^T
      const auto bits = bits_of(w_t, s);
      std::vector<std::vector<std::uint16_t>> owned;
      std::vector<PanelMatrix::HalvesPart> parts;
      for (Eigen::Index first = 0; auto c : counts) {
        owned.emplace_back(bits.begin() + first * K, bits.begin() + (first + c) * K);
        parts.push_back({owned.back().data(), c});
        first += c;
      }
      const PanelMatrix stacked = PanelMatrix::from_transposed(bits.data(), s, K, N, arena);
      const PanelMatrix from_parts = PanelMatrix::from_transposed(parts, s, K, arena);
      expect_same(stacked, from_parts);
      const RowMatrix w = w_t.transpose();
      expect_same(PanelMatrix::from_rows(w.data(), K, N), from_parts);
    }
  }
}

TEST(PanelArena, ANarrowedMatrixGivesItsTailToTheNext) {
  PanelArena arena;
  const RowMatrix w = rounded(256, 256, PanelMatrix::Storage::kF16);
  const PanelMatrix a = PanelMatrix::from_rows(w.data(), 256, 256, arena);
  ASSERT_TRUE(a.holds_halves());
  EXPECT_EQ(arena.used(), a.bytes()) << "only the halves stay in use";
  const PanelMatrix b = PanelMatrix::from_rows(w.data(), 256, 256, arena);
  EXPECT_EQ(arena.used(), a.bytes() + b.bytes());
}

TEST(PanelArena, BlocksOutliveTheArena) {
  const RowMatrix w = RowMatrix::Random(50, 70);
  const PanelMatrix alone = PanelMatrix::from_rows(w.data(), 50, 70);
  PanelMatrix packed;
  {
    PanelArena arena;
    packed = PanelMatrix::from_rows(w.data(), 50, 70, arena);
  }
  expect_same(alone, packed);
}

}  // namespace
}  // namespace beamscope
