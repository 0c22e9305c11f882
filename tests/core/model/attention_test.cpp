// ops::attend against a plain double-precision attention written from the
// definition (softmax(K q * scale) V per head, grouped-query heads reading
// kv head h / (H / KV), optional soft-cap, a window starting at `first`),
// on key/value rows that live in separate allocations as pages do: every
// head size the kernel treats apart (64, 128, 256), sizes that are not a
// multiple of the vector width, and heads split between callers.
#include "model/ops/attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

namespace beamscope::ops {
namespace {

struct Case {
  int heads, kv_heads, head_dim;
  int first, end;  // positions attended
  float softcap;
};

// Cache rows as the page pool lays them out: one allocation per position,
// holding other layers' floats before the key row and between key and value.
struct Rows {
  std::vector<std::unique_ptr<float[]>> storage;
  std::vector<const float*> pointers;
  std::ptrdiff_t key_offset = 5, value_offset = 0;

  Rows(int positions, int row_floats, std::mt19937& rng) {
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    value_offset = key_offset + row_floats + 3;
    const std::size_t floats = static_cast<std::size_t>(value_offset + row_floats + 7);
    for (int i = 0; i < positions; ++i) {
      storage.emplace_back(new float[floats]);
      for (std::size_t j = 0; j < floats; ++j) storage.back()[j] = u(rng);
      pointers.push_back(storage.back().get());
    }
  }
  KvRows kv() const { return {pointers.data(), key_offset, value_offset}; }
};

std::vector<double> reference(const Rows& rows, const std::vector<float>& q, const Case& c,
                              float scale) {
  const int group = c.heads / c.kv_heads, d = c.head_dim;
  std::vector<double> out(static_cast<std::size_t>(c.heads) * d, 0.0);
  const KvRows kv = rows.kv();
  for (int h = 0; h < c.heads; ++h) {
    const int g = h / group;
    std::vector<double> p;
    for (int i = c.first; i < c.end; ++i) {
      double s = 0;
      for (int j = 0; j < d; ++j) s += double(kv.key(i)[g * d + j]) * q[h * d + j];
      s *= scale;
      if (c.softcap > 0) s = c.softcap * std::tanh(s / c.softcap);
      p.push_back(s);
    }
    double top = p[0], sum = 0;
    for (double s : p) top = std::max(top, s);
    for (double& s : p) sum += (s = std::exp(s - top));
    for (int i = c.first; i < c.end; ++i) {
      for (int j = 0; j < d; ++j) {
        out[h * d + j] += p[i - c.first] / sum * kv.value(i)[g * d + j];
      }
    }
  }
  return out;
}

class Attention : public ::testing::TestWithParam<Case> {};

TEST_P(Attention, MatchesThePlainDefinitionAndAnySplitOfHeads) {
  const Case c = GetParam();
  std::mt19937 rng(c.head_dim * 31 + c.heads);
  const Rows rows(c.end, c.kv_heads * c.head_dim, rng);
  std::vector<float> q(static_cast<std::size_t>(c.heads) * c.head_dim);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (float& v : q) v = u(rng);
  const float scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
  const AttentionShape shape{c.heads, c.kv_heads, c.head_dim, scale, c.softcap};
  const int n = c.end - c.first;
  std::vector<float> scores(static_cast<std::size_t>(c.heads) * n), out(q.size(), 99.0f);
  attend(rows.kv(), c.first, c.end, q.data(), shape, scores.data(), out.data());

  const std::vector<double> want = reference(rows, q, c, scale);
  double worst = 0;
  for (std::size_t i = 0; i < out.size(); ++i) worst = std::max(worst, std::abs(out[i] - want[i]));
  EXPECT_LE(worst, 2e-6) << "max |attend - reference|";

  // Heads in two parts (as threads split a row): the same bits, and each
  // part writes only its own heads.
  const int split = c.heads / 2 + 1;
  std::vector<float> parts(q.size(), 99.0f);
  attend(rows.kv(), c.first, c.end, q.data(), shape, scores.data(), parts.data(), 0, split);
  const std::size_t first_part = static_cast<std::size_t>(split) * c.head_dim;
  for (std::size_t i = first_part; i < parts.size(); ++i) ASSERT_EQ(parts[i], 99.0f);
  attend(rows.kv(), c.first, c.end, q.data(), shape, scores.data(), parts.data(), split, c.heads);
  EXPECT_EQ(std::memcmp(parts.data(), out.data(), out.size() * sizeof(float)), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Attention,
    ::testing::Values(Case{3, 1, 64, 0, 129, 0.0f},   // SmolLM2's heads, one kv head
                      Case{4, 2, 128, 0, 70, 0.0f},   // Llama's head size
                      Case{4, 1, 256, 3, 40, 50.0f},  // Gemma's, a window, soft-cap
                      Case{2, 2, 20, 0, 33, 0.0f},    // not a multiple of 8 or 16
                      Case{5, 5, 6, 10, 11, 0.0f},    // one position
                      Case{6, 3, 72, 1, 200, 0.0f}),  // 9 AVX2 packets: two chunks
    [](const ::testing::TestParamInfo<Case>& info) {
      const Case& c = info.param;
      return "H" + std::to_string(c.heads) + "_KV" + std::to_string(c.kv_heads) + "_d" +
             std::to_string(c.head_dim) + "_n" + std::to_string(c.end - c.first);
    });

}  // namespace
}  // namespace beamscope::ops
