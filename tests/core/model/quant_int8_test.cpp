// The integer-product path for GGUF quantized weights (QuantPanels::
// multiply_integer, llama.cpp's numerics) against a straightforward scalar
// reference written here from llama.cpp's description of the arithmetic
// (ggml's Q8_0 / Q8_K activation blocks, an integer dot product per weight
// block or sub-block, one float multiply-add per block) working on the GGUF
// rows as the file holds them, not on the re-blocked panels. The kernel and
// the reference do the same float operations on the same exact integers, so
// the products must be bit-identical: a wrong lane, pairing, scale or
// offset changes bits at once. Random valid blocks, a partial last panel,
// row counts 1..8 and beyond, 1, 2 and 3 threads, and a Q4_K_M-style stack
// of Q4_K and Q6_K parts; every type with an integer kernel (Q8_0, Q4_0,
// Q4_K, Q5_K, Q6_K).
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model/gguf/gguf_tensor_type.h"
#include "model/half_float.h"
#include "model/panel_matrix.h"
#include "model/quant_activations.h"
#include "quant_test_blocks.h"
#include "util/thread_pool.h"

namespace beamscope {
namespace {

using Index = Eigen::Index;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// One row of activations as llama.cpp quantizes it: values, per-block
// scales, and (Q8_K) per-32 sums computed from the values.
struct RefRow {
  std::vector<int> q;
  std::vector<float> d;
};

RefRow ref_q8_0(const float* x, Index K) {
  RefRow r;
  for (Index b = 0; b < K / 32; ++b) {
    float amax = 0;
    for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(x[32 * b + i]));
    r.d.push_back(static_cast<float>(Eigen::half(amax / 127.0f)));
    const float id = amax ? 127.0f / amax : 0.0f;
    for (int i = 0; i < 32; ++i)
      r.q.push_back(static_cast<int>(std::nearbyint(x[32 * b + i] * id)));
  }
  return r;
}

RefRow ref_q8_k(const float* x, Index K) {
  RefRow r;
  for (Index b = 0; b < K / 256; ++b) {
    const float* v = x + 256 * b;
    const float* big =
        std::max_element(v, v + 256, [](float a, float c) { return std::fabs(a) < std::fabs(c); });
    if (*big == 0.0f) {
      r.d.push_back(0.0f);
      r.q.insert(r.q.end(), 256, 0);
      continue;
    }
    const float iscale = -127.0f / *big;
    for (int i = 0; i < 256; ++i)
      r.q.push_back(std::min(127, static_cast<int>(std::nearbyint(iscale * v[i]))));
    r.d.push_back(1.0f / iscale);
  }
  return r;
}

float half_at(const std::byte* p) {
  std::uint16_t h;
  std::memcpy(&h, p, 2);
  return f16_to_f32(h);
}
int byte_at(const std::byte* p, int i) { return std::to_integer<int>(p[i]); }

// Row n of W^T (one GGUF row, `K` values) times the quantized activations.
float ref_dot(GgmlType type, const std::byte* row, const RefRow& x, Index K) {
  float y = 0.0f;
  if (type == GgmlType::kQ8_0) {
    for (Index b = 0; b < K / 32; ++b) {
      const std::byte* blk = row + 34 * b;
      int s = 0;
      for (int i = 0; i < 32; ++i)
        s += static_cast<std::int8_t>(byte_at(blk, 2 + i)) * x.q[32 * b + i];
      y = std::fma(half_at(blk) * x.d[b], static_cast<float>(s), y);
    }
  } else if (type == GgmlType::kQ4_0) {
    for (Index b = 0; b < K / 32; ++b) {
      const std::byte* blk = row + 18 * b;
      int s = 0;
      for (int i = 0; i < 32; ++i)
        s += (((byte_at(blk, 2 + i % 16) >> (4 * (i / 16))) & 0xF) - 8) * x.q[32 * b + i];
      y = std::fma(half_at(blk) * x.d[b], static_cast<float>(s), y);
    }
  } else if (type == GgmlType::kQ4_K || type == GgmlType::kQ5_K) {
    const bool five = type == GgmlType::kQ5_K;
    const int bytes = five ? 176 : 144, nibbles = five ? 48 : 16;
    for (Index b = 0; b < K / 256; ++b) {
      const std::byte* blk = row + bytes * b;
      const int* q8 = x.q.data() + 256 * b;
      auto sc = [&](int i) { return byte_at(blk, 4 + i); };
      int s = 0, m = 0;
      for (int j = 0; j < 8; ++j) {
        const int scale = j < 4 ? sc(j) & 63 : (sc(j + 4) & 0xF) | ((sc(j - 4) >> 6) << 4);
        const int min = j < 4 ? sc(j + 4) & 63 : (sc(j + 4) >> 4) | ((sc(j) >> 6) << 4);
        int dot = 0, sum = 0;
        for (int l = 0; l < 32; ++l) {
          int q = (byte_at(blk, nibbles + 32 * (j / 2) + l) >> (4 * (j % 2))) & 0xF;
          if (five) q |= ((byte_at(blk, 16 + l) >> j) & 1) << 4;
          dot += q * q8[32 * j + l];
          sum += q8[32 * j + l];
        }
        s += scale * dot;
        m += min * sum;
      }
      y = std::fma(half_at(blk) * x.d[b], static_cast<float>(s), y);
      y = std::fma(-(half_at(blk + 2) * x.d[b]), static_cast<float>(m), y);
    }
  } else {  // Q6_K
    for (Index b = 0; b < K / 256; ++b) {
      const std::byte* blk = row + 210 * b;
      const int* q8 = x.q.data() + 256 * b;
      int s = 0;
      for (int sub = 0; sub < 16; ++sub) {
        int dot = 0;
        for (int v = 16 * sub; v < 16 * sub + 16; ++v) {
          const int h = v / 128, k = (v % 128) / 32, l = v % 32;
          const int low = (byte_at(blk, 64 * h + l + 32 * (k % 2)) >> (4 * (k / 2))) & 0xF;
          const int high = (byte_at(blk, 128 + 32 * h + l) >> (2 * k)) & 3;
          dot += ((low | (high << 4)) - 32) * q8[v];
        }
        s += static_cast<std::int8_t>(byte_at(blk, 192 + sub)) * dot;
      }
      y = std::fma(half_at(blk + 208) * x.d[b], static_cast<float>(s), y);
    }
  }
  return y;
}

struct Part {
  GgmlType type;
  Index N;
};

// y = x W for parts stacked as columns, by the reference.
RowMatrix reference(const std::vector<Part>& parts, const std::vector<std::vector<std::byte>>& rows,
                    const RowMatrix& x) {
  const Index K = x.cols();
  Index N = 0;
  for (const Part& p : parts) N += p.N;
  RowMatrix y(x.rows(), N);
  for (Index t = 0; t < x.rows(); ++t) {
    const RefRow q0 = ref_q8_0(x.row(t).data(), K), qk = ref_q8_k(x.row(t).data(), K);
    Index n0 = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const GgmlTypeInfo info = *ggml_type_info(static_cast<std::uint32_t>(parts[i].type));
      const std::size_t row_bytes = static_cast<std::size_t>(K / info.block) * info.block_bytes;
      for (Index n = 0; n < parts[i].N; ++n) {
        const bool q8_0 = parts[i].type == GgmlType::kQ8_0 || parts[i].type == GgmlType::kQ4_0;
        y(t, n0 + n) = ref_dot(parts[i].type, rows[i].data() + n * row_bytes, q8_0 ? q0 : qk, K);
      }
      n0 += parts[i].N;
    }
  }
  return y;
}

bool same_bits(const RowMatrix& a, const RowMatrix& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Case {
  std::vector<Part> parts;
  Index K;
};

class IntegerProducts : public ::testing::TestWithParam<Case> {
 protected:
  void TearDown() override { ThreadPool::set_shared_threads(physical_core_count()); }
};

TEST_P(IntegerProducts, BitIdenticalToTheScalarReference) {
  const Case c = GetParam();
  std::mt19937 rng(static_cast<unsigned>(c.K * 7 + c.parts.size()));
  std::vector<std::vector<std::byte>> rows;
  std::vector<QuantPart> parts;
  Index N = 0;
  for (const Part& p : c.parts) {
    rows.push_back(random_rows(p.type, p.N, c.K, rng));
    parts.push_back({p.type, rows.back().data(), p.N});
    N += p.N;
  }
  PanelArena arena;
  const auto ints = PanelMatrix::from_quantized(parts, c.K, arena, true);
  const auto floats = PanelMatrix::from_quantized(parts, c.K, arena, false);
  ASSERT_TRUE(ints && floats);
  ASSERT_TRUE(ints->quantized()->integer_products());
  ASSERT_FALSE(floats->quantized()->integer_products());

  for (Index T : {1, 2, 3, 8, 13}) {
    SCOPED_TRACE("rows " + std::to_string(T));
    RowMatrix x = RowMatrix::Random(T, c.K);
    x.row(0).head(std::min<Index>(c.K, 40)).setZero();  // a zero block: d = 0
    const RowMatrix want = reference(c.parts, rows, x);
    const RowMatrix start = RowMatrix::Random(T, N);
    const RowMatrix want_acc = start + want;
    RowMatrix as_floats(T, N);
    floats->multiply(x.data(), T, as_floats.data(), false);
    for (int threads : {1, 2, 3}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      ThreadPool::set_shared_threads(threads);
      RowMatrix got(T, N), got_acc = start;
      ints->multiply(x.data(), T, got.data(), false);
      ints->multiply(x.data(), T, got_acc.data(), true);
      EXPECT_TRUE(same_bits(got, want)) << "max diff " << (got - want).cwiseAbs().maxCoeff();
      EXPECT_TRUE(same_bits(got_acc, want_acc));
    }
    // 8-bit activations move a product by about 1 % of its size, not more.
    EXPECT_LE((want - as_floats).cwiseAbs().maxCoeff(), 0.05 * as_floats.cwiseAbs().maxCoeff());
    // Each row alone gives the same bits as in the batch.
    RowMatrix one(1, N);
    ints->multiply(x.row(T - 1).data(), 1, one.data(), false);
    EXPECT_TRUE(same_bits(one, want.row(T - 1)));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Types, IntegerProducts,
    ::testing::Values(Case{{{GgmlType::kQ8_0, 37}}, 96}, Case{{{GgmlType::kQ8_0, 1}}, 32},
                      Case{{{GgmlType::kQ8_0, 64}}, 512}, Case{{{GgmlType::kQ4_K, 45}}, 256},
                      Case{{{GgmlType::kQ4_K, 70}}, 768}, Case{{{GgmlType::kQ6_K, 50}}, 256},
                      Case{{{GgmlType::kQ6_K, 3}}, 512}, Case{{{GgmlType::kQ4_0, 33}}, 64},
                      Case{{{GgmlType::kQ4_0, 70}}, 160}, Case{{{GgmlType::kQ5_K, 19}}, 256},
                      Case{{{GgmlType::kQ5_K, 40}}, 512},
                      // Q4_K_M: q | k in Q4_K, v in Q6_K, at a panel boundary.
                      Case{{{GgmlType::kQ4_K, 64}, {GgmlType::kQ6_K, 21}}, 512}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name;
      for (const Part& p : info.param.parts)
        name += ggml_type_name(p.type) + "_N" + std::to_string(p.N) + "_";
      return name + "K" + std::to_string(info.param.K);
    });

// AVX-512 builds have panels of 32 columns, which the AVX2 kernel takes as
// two slices of 16: built here with that width (this machine's own panels
// are 16 wide), the same products.
TEST(IntegerProducts, PanelsOf32ColumnsAsAnAvx512BuildHasThem) {
  const Index K = 512, N = 45;
  std::mt19937 rng(11);
  for (GgmlType type :
       {GgmlType::kQ8_0, GgmlType::kQ4_0, GgmlType::kQ4_K, GgmlType::kQ5_K, GgmlType::kQ6_K}) {
    SCOPED_TRACE(ggml_type_name(type));
    const std::vector<std::byte> rows = random_rows(type, N, K, rng);
    const QuantPart part{type, rows.data(), N};
    PanelArena arena;
    const auto panels = QuantPanels::build({&part, 1}, K, 32, arena, true);
    ASSERT_TRUE(panels && panels->integer_products());
    for (Index T : {1, 5}) {
      const RowMatrix x = RowMatrix::Random(T, K);
      RowMatrix got(T, N);
      panels->multiply_integer(x.data(), T, got.data(), N, false);
      EXPECT_TRUE(same_bits(got, reference({{type, N}}, {rows}, x))) << "rows " << T;
    }
  }
}

// llama.cpp's activation blocks, value for value.
TEST(QuantizedActivations, AreLlamaCppsQ8_0AndQ8_KBlocks) {
  const Index K = 512, T = 3;
  RowMatrix x = RowMatrix::Random(T, K) * 3.0f;
  x.row(1).segment(256, 256).setZero();
  x(2, 7) = -9.0f;  // the largest magnitude negative: Q8_K's sign
  for (ActivationBlocks kind : {ActivationBlocks::kQ8_0, ActivationBlocks::kQ8_K}) {
    QuantizedActivations q;
    q.quantize(x.data(), T, K, kind);
    for (Index t = 0; t < T; ++t) {
      const RefRow r = kind == ActivationBlocks::kQ8_0 ? ref_q8_0(x.row(t).data(), K)
                                                       : ref_q8_k(x.row(t).data(), K);
      for (Index k = 0; k < K; ++k) ASSERT_EQ(q.at(t, k), r.q[k]) << t << ", " << k;
      for (Index b = 0; b < K / q.block(); ++b) EXPECT_EQ(q.scale(t, b), r.d[b]);
      for (Index s = 0; s < K / 16; ++s) {
        int sum = 0;
        for (int i = 0; i < 16; ++i) sum += r.q[16 * s + i];
        EXPECT_EQ(q.row_sums(t)[s], sum);
      }
    }
  }
}

}  // namespace
}  // namespace beamscope
