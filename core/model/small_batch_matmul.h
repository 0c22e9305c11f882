#pragma once

#include <Eigen/Core>

namespace beamscope {

// Products of a few activation rows (1..kSmallBatchMaxRows: a decode, beams or samples
// decoded together) with a weight matrix, reading every weight once for all
// rows. Eigen's GEMM would pack (copy) the whole weight matrix per call and
// its lazyProduct reloads each weight per row, so neither reaches the memory
// bound here; these kernels keep one accumulator per row and weight packet
// in registers instead. All matrices are dense and row-major.
constexpr Eigen::Index kSmallBatchMaxRows = 8;

// y = x W (or y += x W when `accumulate`).  x [T, K], W [K, N], y [T, N].
void small_batch_matmul(const float* x, Eigen::Index T, Eigen::Index K, const float* w,
                        Eigen::Index N, float* y, bool accumulate);

// y = x E^T.  x [T, K], E [N, K] (e.g. the tied head, stored like wte), y [T, N].
void small_batch_matmul_transposed(const float* x, Eigen::Index T, Eigen::Index K, const float* e,
                                   Eigen::Index N, float* y);

}  // namespace beamscope
