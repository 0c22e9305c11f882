// GGUF quantized weights kept quantized (QuantPanels behind PanelMatrix)
// against the same blocks dequantized by dequantize() and packed as float
// panels: random blocks of every type the kernel decodes (random bytes with
// finite half-float scales are valid blocks), shapes with a partial last
// panel, every row count the kernel streams (1..8) and the decoded-panel
// path beyond it, and 1, 2 and 3 threads. The products must be bit-identical
// (the kernel decodes each value exactly as dequantize() does and sums in
// the float kernel's order), so no tolerance: a wrong field, shift or scale
// changes bits at once.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model/gguf/gguf_tensor_type.h"
#include "model/panel_matrix.h"
#include "quant_test_blocks.h"
#include "util/thread_pool.h"

namespace beamscope {
namespace {

using Index = Eigen::Index;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The same rows dequantized: W^T [N, K] row-major.
std::vector<float> dequantized(GgmlType type, const std::vector<std::byte>& rows, Index N,
                               Index K) {
  std::vector<float> out(static_cast<std::size_t>(N * K));
  dequantize(type, rows.data(), out.size(), out.data());
  return out;
}

bool same_bits(const RowMatrix& a, const RowMatrix& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Case {
  GgmlType type;
  Index K;
  Index N;
};

std::string name_of(const ::testing::TestParamInfo<Case>& info) {
  return ggml_type_name(info.param.type) + "_K" + std::to_string(info.param.K) + "_N" +
         std::to_string(info.param.N);
}

class QuantPanelsProduct : public ::testing::TestWithParam<Case> {
 protected:
  void TearDown() override { ThreadPool::set_shared_threads(physical_core_count()); }
};

TEST_P(QuantPanelsProduct, BitIdenticalToTheDequantizedFloatPanels) {
  const Case c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(c.K * 131 + c.N) + static_cast<unsigned>(c.type));
  const std::vector<std::byte> rows = random_rows(c.type, c.N, c.K, rng);
  const std::vector<float> w_t = dequantized(c.type, rows, c.N, c.K);
  const PanelMatrix floats =
      PanelMatrix::from_transposed(w_t.data(), c.K, c.N, PanelMatrix::Halves::kNever);
  PanelArena arena;
  const QuantPart part{c.type, rows.data(), c.N};
  const std::optional<PanelMatrix> quant = PanelMatrix::from_quantized({&part, 1}, c.K, arena);
  ASSERT_TRUE(quant.has_value());
  ASSERT_EQ(quant->storage(), PanelMatrix::Storage::kQuantized);
  ASSERT_EQ(quant->rows(), c.K);
  ASSERT_EQ(quant->cols(), c.N);
  // The file's bytes, plus zero blocks for the padding columns.
  const Index width = PanelMatrix::panel_width();
  const Index padded = (c.N + width - 1) / width * width;
  EXPECT_EQ(quant->bytes(), rows.size() / static_cast<std::size_t>(c.N) * padded);

  std::vector<float> column(static_cast<std::size_t>(c.K)), expected(column.size());
  for (Index n : {Index{0}, c.N / 2, c.N - 1}) {
    quant->copy_column(n, column.data());
    floats.copy_column(n, expected.data());
    EXPECT_EQ(column, expected) << "column " << n;
    EXPECT_EQ(quant->at(c.K - 1, n), floats.at(c.K - 1, n));
  }

  for (Index T : {1, 2, 3, 5, 8, 9, 20}) {
    SCOPED_TRACE("rows " + std::to_string(T));
    const RowMatrix x = RowMatrix::Random(T, c.K);
    const RowMatrix start = RowMatrix::Random(T, c.N);
    RowMatrix want(T, c.N), want_acc = start;
    ThreadPool::set_shared_threads(1);
    floats.multiply(x.data(), T, want.data(), false);
    floats.multiply(x.data(), T, want_acc.data(), true);
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      ThreadPool::set_shared_threads(threads);
      RowMatrix got(T, c.N), got_acc = start;
      quant->multiply(x.data(), T, got.data(), false);
      quant->multiply(x.data(), T, got_acc.data(), true);
      EXPECT_TRUE(same_bits(got, want)) << "max diff " << (got - want).cwiseAbs().maxCoeff();
      EXPECT_TRUE(same_bits(got_acc, want_acc));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Types, QuantPanelsProduct,
    ::testing::Values(Case{GgmlType::kQ8_0, 64, 37}, Case{GgmlType::kQ8_0, 96, 1},
                      Case{GgmlType::kQ4_0, 32, 70}, Case{GgmlType::kQ4_0, 160, 33},
                      Case{GgmlType::kQ4_K, 256, 45}, Case{GgmlType::kQ4_K, 512, 64},
                      Case{GgmlType::kQ5_K, 256, 19}, Case{GgmlType::kQ6_K, 256, 50},
                      Case{GgmlType::kQ6_K, 768, 3}, Case{GgmlType::kQ4_1, 64, 21},
                      Case{GgmlType::kQ5_0, 96, 40}, Case{GgmlType::kQ5_1, 32, 17},
                      Case{GgmlType::kQ2_K, 256, 35}, Case{GgmlType::kQ3_K, 512, 18}),
    name_of);

// Q4_K_M stacks Q4_K and Q6_K tensors in one fused matrix (q | k | v with
// v in Q6_K): segments of panels, each decoded by its own type.
TEST(QuantPanels, PartsOfTwoTypesStackAtAPanelBoundary) {
  const Index K = 256, width = PanelMatrix::panel_width();
  std::mt19937 rng(7);
  const Index n_q = 2 * width, n_v = width + 5;
  const auto q = random_rows(GgmlType::kQ4_K, n_q, K, rng);
  const auto v = random_rows(GgmlType::kQ6_K, n_v, K, rng);
  std::vector<float> w_t = dequantized(GgmlType::kQ4_K, q, n_q, K);
  const std::vector<float> v_t = dequantized(GgmlType::kQ6_K, v, n_v, K);
  w_t.insert(w_t.end(), v_t.begin(), v_t.end());
  const PanelMatrix floats =
      PanelMatrix::from_transposed(w_t.data(), K, n_q + n_v, PanelMatrix::Halves::kNever);
  PanelArena arena;
  const QuantPart parts[] = {{GgmlType::kQ4_K, q.data(), n_q}, {GgmlType::kQ6_K, v.data(), n_v}};
  const auto quant = PanelMatrix::from_quantized(parts, K, arena);
  ASSERT_TRUE(quant.has_value());
  for (Index T : {1, 4, 12}) {
    const RowMatrix x = RowMatrix::Random(T, K);
    RowMatrix want(T, n_q + n_v), got(T, n_q + n_v);
    floats.multiply(x.data(), T, want.data(), false);
    quant->multiply(x.data(), T, got.data(), false);
    EXPECT_TRUE(same_bits(got, want)) << "rows " << T;
  }
  // A type change inside a panel cannot be one quantized matrix.
  const QuantPart split[] = {{GgmlType::kQ4_K, q.data(), 3}, {GgmlType::kQ6_K, v.data(), n_v}};
  EXPECT_FALSE(PanelMatrix::from_quantized(split, K, arena).has_value());
  // Nor a type the kernel does not decode (F16 has its own panels).
  const QuantPart f16[] = {{GgmlType::kF16, q.data(), 1}};
  EXPECT_FALSE(PanelMatrix::from_quantized(f16, K, arena).has_value());
}

}  // namespace
}  // namespace beamscope
