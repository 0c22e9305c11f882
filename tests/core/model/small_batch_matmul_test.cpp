// The register-blocked few-row kernels against Eigen's own product, for every
// row count they instantiate and for sizes that leave packet and block
// remainders (odd K and N, N smaller than one packet).
#include "model/small_batch_matmul.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <string>

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

class SmallBatchMatmul : public ::testing::TestWithParam<Shape> {};

TEST_P(SmallBatchMatmul, MatchesEigenForEveryRowCount) {
  const Shape s = GetParam();
  for (Eigen::Index T = 1; T <= kSmallBatchMaxRows; ++T) {
    SCOPED_TRACE("rows " + std::to_string(T));
    const RowMatrix x = RowMatrix::Random(T, s.K);
    const RowMatrix w = RowMatrix::Random(s.K, s.N);
    const RowMatrix start = RowMatrix::Random(T, s.N);

    RowMatrix y(T, s.N);
    small_batch_matmul(x.data(), T, s.K, w.data(), s.N, y.data(), /*accumulate=*/false);
    EXPECT_LE((y - x * w).cwiseAbs().maxCoeff(), kTolerance);

    RowMatrix acc = start;
    small_batch_matmul(x.data(), T, s.K, w.data(), s.N, acc.data(), /*accumulate=*/true);
    EXPECT_LE((acc - (start + x * w)).cwiseAbs().maxCoeff(), kTolerance);
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, SmallBatchMatmul,
                         ::testing::Values(Shape{1, 1}, Shape{3, 5}, Shape{17, 7}, Shape{48, 144},
                                           Shape{64, 67}, Shape{256, 1024}, Shape{131, 129}),
                         [](const ::testing::TestParamInfo<Shape>& info) {
                           return "K" + std::to_string(info.param.K) + "_N" +
                                  std::to_string(info.param.N);
                         });

}  // namespace
}  // namespace beamscope
