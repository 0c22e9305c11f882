#pragma once

#include <Eigen/Core>

namespace beamscope {

// Products of a few activation rows (1..kSmallBatchMaxRows: one decode, or
// beams and samples decoded together) with a weight matrix, reading every
// weight once for all rows. Eigen's GEMM would pack (copy) the whole weight
// matrix per call and its GEMV reads one weight stream at a time, so neither
// reaches the memory bound here; this kernel streams 8-16 weight rows side by
// side and FMAs them into the output rows. All matrices are dense, row-major.
constexpr Eigen::Index kSmallBatchMaxRows = 8;

// y = x W (or y += x W when `accumulate`).  x [T, K], W [K, N], y [T, N].
void small_batch_matmul(const float* x, Eigen::Index T, Eigen::Index K, const float* w,
                        Eigen::Index N, float* y, bool accumulate);

}  // namespace beamscope
