// The column-panel weights against Eigen's own product: every row-group size
// the kernel instantiates (1..8) and several groups (prefill), shapes that
// leave a partial last panel, both packing directions, and the promise that
// a row's result does not depend on the rows computed with it.
#include "model/panel_matrix.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <string>
#include <vector>

#include "model/half_float.h"
#include "util/error.h"

namespace beamscope {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Sums of K products of values in [-1, 1]: float rounding differs from
// Eigen's summation order by a few ulps of sqrt(K)-sized sums.
constexpr float kTolerance = 1e-4f;

struct Shape {
  Eigen::Index K;
  Eigen::Index N;
};

class PanelMatrixProduct : public ::testing::TestWithParam<Shape> {};

TEST_P(PanelMatrixProduct, MatchesEigenForAnyRowCount) {
  const Shape s = GetParam();
  const RowMatrix w = RowMatrix::Random(s.K, s.N);
  const PanelMatrix packed = PanelMatrix::from_rows(w.data(), s.K, s.N);
  ASSERT_EQ(packed.rows(), s.K);
  ASSERT_EQ(packed.cols(), s.N);
  for (Eigen::Index T : {1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 21}) {
    SCOPED_TRACE("rows " + std::to_string(T));
    const RowMatrix x = RowMatrix::Random(T, s.K);
    const RowMatrix start = RowMatrix::Random(T, s.N);

    RowMatrix y(T, s.N);
    packed.multiply(x.data(), T, y.data(), /*accumulate=*/false);
    EXPECT_LE((y - x * w).cwiseAbs().maxCoeff(), kTolerance);

    RowMatrix acc = start;
    packed.multiply(x.data(), T, acc.data(), /*accumulate=*/true);
    EXPECT_LE((acc - (start + x * w)).cwiseAbs().maxCoeff(), kTolerance);
  }
}

TEST_P(PanelMatrixProduct, PackingFromTheTransposeGivesTheSameMatrix) {
  const Shape s = GetParam();
  const RowMatrix w = RowMatrix::Random(s.K, s.N);
  const RowMatrix w_t = w.transpose();
  const PanelMatrix a = PanelMatrix::from_rows(w.data(), s.K, s.N);
  const PanelMatrix b = PanelMatrix::from_transposed(w_t.data(), s.K, s.N);
  std::vector<float> column(static_cast<std::size_t>(s.K));
  for (Eigen::Index n = 0; n < s.N; ++n) {
    b.copy_column(n, column.data());
    for (Eigen::Index k = 0; k < s.K; ++k) {
      ASSERT_EQ(a.at(k, n), w(k, n)) << k << ", " << n;
      ASSERT_EQ(b.at(k, n), w(k, n)) << k << ", " << n;
      ASSERT_EQ(column[static_cast<std::size_t>(k)], w(k, n)) << k << ", " << n;
    }
  }
}

TEST_P(PanelMatrixProduct, ARowsResultDoesNotDependOnItsBatch) {
  // Beams decoded together, one at a time, or the same rows in a prefill:
  // bit-identical logits, so a cached tree and a recomputed one agree.
  const Shape s = GetParam();
  const RowMatrix w = RowMatrix::Random(s.K, s.N);
  const PanelMatrix packed = PanelMatrix::from_rows(w.data(), s.K, s.N);
  const Eigen::Index T = 19;
  const RowMatrix x = RowMatrix::Random(T, s.K);
  RowMatrix all(T, s.N);
  packed.multiply(x.data(), T, all.data(), false);
  for (Eigen::Index t = 0; t < T; ++t) {
    RowMatrix alone(1, s.N);
    packed.multiply(x.row(t).data(), 1, alone.data(), false);
    ASSERT_TRUE((alone.row(0).array() == all.row(t).array()).all()) << "row " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, PanelMatrixProduct,
                         ::testing::Values(Shape{1, 1}, Shape{3, 5}, Shape{17, 7}, Shape{48, 144},
                                           Shape{64, 67}, Shape{256, 1024}, Shape{131, 129}),
                         [](const ::testing::TestParamInfo<Shape>& info) {
                           return "K" + std::to_string(info.param.K) + "_N" +
                                  std::to_string(info.param.N);
                         });

// Values an F16 file holds (random floats rounded down to the next half),
// or values only BF16 holds (multiples of 2^-7 scaled by 2^-30, below F16's
// smallest subnormal).
RowMatrix halves_only(Eigen::Index K, Eigen::Index N, PanelMatrix::Storage s) {
  RowMatrix w = RowMatrix::Random(K, N);
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    float& v = w.data()[i];
    if (s == PanelMatrix::Storage::kBF16) {
      v = std::ldexp(std::round(v * 128.0f) / 128.0f, -30);
    } else {
      while (!f32_to_f16_exact(v)) v = std::nextafter(v, 0.0f);
    }
  }
  return w;
}

TEST(PanelMatrix, HoldsAnAllHalvesMatrixAsHalvesWithBitIdenticalResults) {
  using S = PanelMatrix::Storage;
  // 129 columns: a last panel of one column, alone or in a pair.
  const Eigen::Index K = 131, N = 129;
  for (S s : {S::kF16, S::kBF16}) {
    SCOPED_TRACE(s == S::kF16 ? "F16" : "BF16");
    const RowMatrix w = halves_only(K, N, s);
    const PanelMatrix halves = PanelMatrix::from_rows(w.data(), K, N);
    const PanelMatrix floats = PanelMatrix::from_rows(w.data(), K, N, PanelMatrix::Halves::kNever);
    EXPECT_EQ(halves.storage(), s);
    EXPECT_FALSE(floats.holds_halves());
    EXPECT_EQ(2 * halves.bytes(), floats.bytes());
    // One panel at a time, two at a time, group by group, and widened per
    // panel (prefill): every path halves take (and, for BF16 on AVX2, even
    // and odd columns accumulated apart and put back in order).
    for (Eigen::Index T : {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 19}) {
      SCOPED_TRACE("rows " + std::to_string(T));
      const RowMatrix x = RowMatrix::Random(T, K);
      RowMatrix a(T, N), b(T, N);
      halves.multiply(x.data(), T, a.data(), false);
      floats.multiply(x.data(), T, b.data(), false);
      EXPECT_TRUE((a.array() == b.array()).all());
      const float scale = s == S::kBF16 ? std::ldexp(1.0f, -30) : 1.0f;
      EXPECT_LE((a - x * w).cwiseAbs().maxCoeff(), kTolerance * scale);
      halves.multiply(x.data(), T, a.data(), true);  // accumulating: twice the product
      floats.multiply(x.data(), T, b.data(), true);
      EXPECT_TRUE((a.array() == b.array()).all());
    }
    std::vector<float> column(static_cast<std::size_t>(K));
    halves.copy_column(N - 1, column.data());
    for (Eigen::Index k = 0; k < K; ++k) {
      ASSERT_EQ(column[static_cast<std::size_t>(k)], w(k, N - 1));
      ASSERT_EQ(halves.at(k, 3), w(k, 3));
    }
  }
}

TEST(PanelMatrix, KeepsFloatsThatAreNotHalves) {
  RowMatrix w = RowMatrix::Constant(4, 4, 0.5f);
  w(3, 3) = 0.1f;  // one value that would round is enough
  EXPECT_FALSE(PanelMatrix::from_rows(w.data(), 4, 4).holds_halves());
  w(3, 3) = 0.25f;
  EXPECT_TRUE(PanelMatrix::from_rows(w.data(), 4, 4).holds_halves());
}

TEST(PanelMatrix, MatricesMovedIntoOneBlockKeepTheirValuesAndProducts) {
  const RowMatrix a = RowMatrix::Random(70, 45), b = RowMatrix::Random(33, 100);
  RowMatrix h = RowMatrix::Constant(16, 40, 0.5f);  // all halves
  h(3, 7) = -2.0f;
  std::vector<PanelMatrix> ms;
  ms.push_back(PanelMatrix::from_rows(a.data(), 70, 45));
  ms.push_back(PanelMatrix::from_rows(h.data(), 16, 40));
  ms.push_back(PanelMatrix::from_rows(b.data(), 33, 100));
  std::vector<std::size_t> bytes;
  for (const auto& m : ms) bytes.push_back(m.bytes());
  const PanelMatrix copy_before = ms[2];  // shares the old block: must stay valid
  std::vector<PanelMatrix*> pointers = {&ms[0], &ms[1], &ms[2]};
  PanelMatrix::share_one_block(pointers);
  const RowMatrix* sources[] = {&a, &h, &b};
  for (std::size_t i = 0; i < ms.size(); ++i) {
    SCOPED_TRACE("matrix " + std::to_string(i));
    const RowMatrix& w = *sources[i];
    EXPECT_EQ(ms[i].bytes(), bytes[i]);
    EXPECT_EQ(ms[i].holds_halves(), i == 1);
    const RowMatrix x = RowMatrix::Random(3, w.rows());
    RowMatrix y(3, w.cols());
    ms[i].multiply(x.data(), 3, y.data(), false);
    EXPECT_LE((y - x * w).cwiseAbs().maxCoeff(), kTolerance);
    for (Eigen::Index k = 0; k < w.rows(); ++k)
      ASSERT_EQ(ms[i].at(k, w.cols() - 1), w(k, w.cols() - 1));
  }
  EXPECT_EQ(copy_before.at(5, 99), b(5, 99));
}

TEST(PanelMatrix, PadsThePartialPanelWithZerosAndCountsItsBytes) {
  const Eigen::Index K = 3, N = PanelMatrix::panel_width() + 1;  // two panels, one column used
  const RowMatrix w = RowMatrix::Random(K, N);
  const PanelMatrix m = PanelMatrix::from_rows(w.data(), K, N);
  ASSERT_FALSE(m.holds_halves());
  for (Eigen::Index k = 0; k < K; ++k) EXPECT_EQ(m.at(k, N - 1), w(k, N - 1));
  EXPECT_EQ(m.bytes(), static_cast<std::size_t>(2 * PanelMatrix::panel_width() * K) * 4);
}

TEST(PanelMatrix, RefusesAnEmptyMatrix) {
  const float one = 1.0f;
  EXPECT_THROW(PanelMatrix::from_rows(&one, 0, 1), Error);
  EXPECT_THROW(PanelMatrix::from_transposed(&one, 1, 0), Error);
}

}  // namespace
}  // namespace beamscope
