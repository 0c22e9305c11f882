// The kernel-ready layout of Q4_K and Q6_K blocks (quant_int8_layout.h),
// byte for byte against the layout's description written out here from the
// GGUF blocks (not from the code's helpers), for both panel widths; the
// way back; and column reads of integer panels with a partial last panel
// (decode_panel undoes the layout) against the float path's panels.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cstring>
#include <random>
#include <vector>

#include "model/gguf/gguf_tensor_type.h"
#include "model/panel_matrix.h"
#include "model/quant_activations.h"
#include "model/quant_int8_layout.h"
#include "quant_test_blocks.h"

namespace beamscope {
namespace {

using Index = Eigen::Index;
using u8 = std::uint8_t;

// Value k (0..255, natural order) of one GGUF block: Q4_K's nibble, Q6_K's
// six bits.
int gguf_value(GgmlType type, const u8* block, int k) {
  if (type == GgmlType::kQ4_K) {
    const int j = k / 32, l = k % 32;
    return (block[16 + 32 * (j / 2) + l] >> (4 * (j % 2))) & 0xF;
  }
  const int h = k / 128, kk = k % 128 / 32, l = k % 32;
  const int low = (block[64 * h + l + 32 * (kk % 2)] >> (4 * (kk / 2))) & 0xF;
  const int high = (block[128 + 32 * h + l] >> (2 * kk)) & 3;
  return low | high << 4;
}

// The natural index of storage position P (QuantizedActivations' order).
int natural(int P) { return P / 8 * 8 + QuantizedActivations::kGroupOrder[P % 8]; }

// `width` GGUF blocks in QuantPanels' field layout: byte u of column c at
// u * width + c (both types' halves are two bytes of one unit, laid out
// the same way byte by byte: half unit u's bytes at o * width + 2 (u *
// width + c) .. + 1).
std::vector<u8> field_layout(GgmlType type, const std::vector<std::vector<u8>>& columns) {
  const Index width = static_cast<Index>(columns.size());
  const int bytes = type == GgmlType::kQ4_K ? 144 : 210;
  std::vector<u8> out(static_cast<std::size_t>(bytes * width));
  // Halves: Q4_K's d, dmin at 0 (two units); Q6_K's d at 208.
  const int half_at = type == GgmlType::kQ4_K ? 0 : 208, halves = type == GgmlType::kQ4_K ? 2 : 1;
  for (Index c = 0; c < width; ++c) {
    for (int o = 0; o < bytes; ++o) {
      if (o >= half_at && o < half_at + 2 * halves) {
        const int u = (o - half_at) / 2, byte = (o - half_at) % 2;
        out[static_cast<std::size_t>(half_at * width + 2 * (u * width + c) + byte)] = columns[c][o];
      } else {
        out[static_cast<std::size_t>(o * width + c)] = columns[c][o];
      }
    }
  }
  return out;
}

// The byte the kernel layout holds at `at` (within the re-arranged region),
// from the description in quant_int8_layout.h.
int expected_byte(GgmlType type, const std::vector<std::vector<u8>>& columns, Index at) {
  auto value = [&](Index column, int P) {
    return gguf_value(type, columns[column].data(), natural(P));
  };
  if (type == GgmlType::kQ4_K) {
    const Index slice = at / 2048, vec = at % 2048 / 32, byte = at % 32;
    const Index i = vec / 16, r = vec % 16 / 2, h = vec % 2;
    const Index column = 16 * slice + 8 * h + byte / 4;
    const int e = static_cast<int>(byte % 4);
    return value(column, static_cast<int>(64 * i + 4 * r + e)) |
           value(column, static_cast<int>(64 * i + 32 + 4 * r + e)) << 4;
  }
  const Index slice = at / 3072, vec = at % 3072 / 32, byte = at % 32;
  const Index group = vec / 3, part = vec % 3, s = group / 2, h = group % 2;
  const Index column = 16 * slice + 8 * h + byte / 4;
  const int P = static_cast<int>(16 * s + byte % 4);
  if (part < 2)
    return (value(column, P + 8 * part) & 0xF) | (value(column, P + 8 * part + 4) & 0xF) << 4;
  int high = 0;
  for (int a = 0; a < 4; ++a) high |= (value(column, P + 4 * a) >> 4) << (2 * a);
  return high;
}

TEST(KernelLayout, IsTheDescribedPermutationOfEveryQuant) {
  std::mt19937 rng(5);
  for (GgmlType type : {GgmlType::kQ4_K, GgmlType::kQ6_K}) {
    for (Index width : {16, 32}) {
      SCOPED_TRACE(ggml_type_name(type) + " width " + std::to_string(width));
      if (!quant_int8::kernel_layout(type, width)) GTEST_SKIP() << "no AVX2 kernel in this build";
      const std::vector<std::byte> rows = random_rows(type, width, 256, rng);
      std::vector<std::vector<u8>> columns;
      const int bytes = type == GgmlType::kQ4_K ? 144 : 210;
      for (Index c = 0; c < width; ++c) {
        const auto* at = reinterpret_cast<const u8*>(rows.data()) + c * bytes;
        columns.emplace_back(at, at + bytes);
      }
      const std::vector<u8> fields = field_layout(type, columns);
      std::vector<u8> kernel(fields.size());
      for (Index c = 0; c < width; ++c)
        quant_int8::scatter_column(type, columns[c].data(), kernel.data(), c, width);
      const Index begin = type == GgmlType::kQ4_K ? 16 * width : 0;
      const Index end = begin + (type == GgmlType::kQ4_K ? 128 : 192) * width;
      for (Index at = 0; at < static_cast<Index>(kernel.size()); ++at) {
        const int want = at >= begin && at < end ? expected_byte(type, columns, at - begin)
                                                 : fields[static_cast<std::size_t>(at)];
        ASSERT_EQ(kernel[static_cast<std::size_t>(at)], want) << "byte " << at;
      }
      std::vector<u8> back(fields.size());
      quant_int8::from_kernel_layout(type, kernel.data(), back.data(), width);
      EXPECT_EQ(back, fields);
    }
  }
}

// Integer panels (kernel layout) read back by column, odd column counts and
// a partial last panel, the same floats as the float path's panels.
TEST(KernelLayout, ColumnsReadBackAsTheFloatPanelsHoldThem) {
  std::mt19937 rng(9);
  for (GgmlType type : {GgmlType::kQ4_K, GgmlType::kQ6_K}) {
    for (Index N : {Index{1}, Index{21}, Index{37}}) {
      SCOPED_TRACE(ggml_type_name(type) + " N " + std::to_string(N));
      const Index K = 512;
      const std::vector<std::byte> rows = random_rows(type, N, K, rng);
      const QuantPart part{type, rows.data(), N};
      PanelArena arena;
      const auto ints = PanelMatrix::from_quantized({&part, 1}, K, arena, true);
      const auto floats = PanelMatrix::from_quantized({&part, 1}, K, arena, false);
      ASSERT_TRUE(ints && floats);
      EXPECT_EQ(ints->bytes(), floats->bytes());  // the same bytes, rearranged
      std::vector<float> a(K), b(K);
      for (Index n = 0; n < N; ++n) {
        ints->copy_column(n, a.data());
        floats->copy_column(n, b.data());
        ASSERT_EQ(std::memcmp(a.data(), b.data(), K * sizeof(float)), 0) << "column " << n;
      }
    }
  }
}

}  // namespace
}  // namespace beamscope
