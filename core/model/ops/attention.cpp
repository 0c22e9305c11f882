#include "model/ops/attention.h"

#include <algorithm>
#include <cmath>

namespace beamscope::ops {

namespace {

namespace ei = Eigen::internal;
using Index = Eigen::Index;
using Packet = ei::packet_traits<float>::type;
constexpr Index kLanes = ei::packet_traits<float>::size;

// A decode step's attention is many short vectors: at 4 beams and position
// 128, SmolLM2-135M makes ~140k dot products of 64 floats per step, and
// Eigen's dynamic-size dot and axpy spent most of their time on set-up and
// tails (3.6 ms of a 26 ms step). These loops take the head size as a
// compile-time constant where it is a common one, so they unroll, and keep
// a head's running output in registers across positions.
//
// q . k over D floats (D = 0: d at run time), in kAcc interleaved partial
// sums.
template <int D>
EIGEN_ALWAYS_INLINE float dot(const float* a, const float* b, Index d) {
  if constexpr (D != 0) d = D;
  constexpr int kAcc = 4;
  Packet acc[kAcc];
  for (auto& p : acc) p = ei::pset1<Packet>(0.0f);
  Index j = 0;
  for (; j + kAcc * kLanes <= d; j += kAcc * kLanes) {
    for (int u = 0; u < kAcc; ++u) {
      acc[u] = ei::pmadd(ei::ploadu<Packet>(a + j + u * kLanes),
                         ei::ploadu<Packet>(b + j + u * kLanes), acc[u]);
    }
  }
  for (int u = 0; j + kLanes <= d; j += kLanes, ++u) {
    acc[u] = ei::pmadd(ei::ploadu<Packet>(a + j), ei::ploadu<Packet>(b + j), acc[u]);
  }
  float sum = ei::predux(ei::padd(ei::padd(acc[0], acc[1]), ei::padd(acc[2], acc[3])));
  for (; j < d; ++j) sum += a[j] * b[j];
  return sum;
}

// out[0, d) += sum over i in [b, e) of p[i] * v_i[0, d), where v_i =
// value(first + i) + offset: in chunks of up to kChunk packets held in
// registers over those positions (one running sum per value, in position
// order, whatever the blocks).
template <int D>
EIGEN_ALWAYS_INLINE void add_weighted(const KvRows& kv, Index first, Index b, Index e,
                                      std::ptrdiff_t offset, const float* p, float* out, Index d) {
  if constexpr (D != 0) d = D;
  constexpr Index kChunk = 8;
  Index j = 0;
  while (j + kLanes <= d) {
    const Index packets = std::min<Index>(kChunk, (d - j) / kLanes);
    Packet acc[kChunk];
    for (Index u = 0; u < kChunk; ++u) {
      if (u < packets) acc[u] = ei::ploadu<Packet>(out + j + u * kLanes);
    }
    for (Index i = b; i < e; ++i) {
      const Packet w = ei::pset1<Packet>(p[i]);
      const float* v = kv.value(first + i) + offset + j;
      for (Index u = 0; u < kChunk; ++u) {
        if (u < packets) acc[u] = ei::pmadd(w, ei::ploadu<Packet>(v + u * kLanes), acc[u]);
      }
    }
    for (Index u = 0; u < kChunk; ++u) {
      if (u < packets) ei::pstoreu(out + j + u * kLanes, acc[u]);
    }
    j += packets * kLanes;
  }
  for (; j < d; ++j) {  // a head size that is not a multiple of the lanes
    float sum = out[j];
    for (Index i = b; i < e; ++i) sum += p[i] * (kv.value(first + i) + offset)[j];
    out[j] = sum;
  }
}

// Positions ahead whose key row is asked for (each takes a few hundred
// nanoseconds from memory; a position's dot products take about as long).
constexpr Index kAhead = 4;

// Asks for the cache lines of `floats` floats at p.
EIGEN_ALWAYS_INLINE void prefetch_row(const float* p, Index floats) {
  constexpr Index kLineFloats = 64 / sizeof(float);
  for (Index j = 0; j < floats; j += kLineFloats) __builtin_prefetch(p + j);
}

template <int D>
void attend_heads(const KvRows& kv, Index first, Index end, const float* q, const AttentionShape& s,
                  float* scores, float* out, int h0, int h1) {
  const Index d = D != 0 ? D : s.head_dim, n = end - first;
  const int group = s.heads / s.kv_heads;
  // scores[h, i] = (k_i,g . q_h) * scale  -> [H, n], one head's scores
  // contiguous. Position by position: each key row is read once (q stays in
  // L1).
  const Index row_floats = static_cast<Index>(s.kv_heads) * d;
  for (Index i = 0; i < n; ++i) {
    // A layer's rows of consecutive positions are a page row apart (all
    // layers in between), too far for the hardware prefetcher, and a decode
    // step's weights have pushed them out of the caches: without asking for
    // them ahead every row came at memory latency. The value rows are asked
    // for here too, for the weighted sum below.
    if (i + kAhead < n) prefetch_row(kv.key(first + i + kAhead), row_floats);
    prefetch_row(kv.value(first + i), row_floats);
    const float* k = kv.key(first + i);
    for (int h = h0, g = h0 / group, r = h0 % group; h < h1; ++h) {
      scores[h * n + i] = dot<D>(k + g * d, q + h * d, d) * s.scale;
      if (++r == group) r = 0, ++g;
    }
  }
  if (s.softcap > 0.0f) {  // Gemma 2: before the softmax, as HF
    Eigen::Map<Eigen::ArrayXf> all(scores + h0 * n, (h1 - h0) * n);
    all = (all / s.softcap).tanh() * s.softcap;
  }
  for (int h = h0; h < h1; ++h) {  // softmax per head
    Eigen::Map<Eigen::ArrayXf> p(scores + h * n, n);
    p = (p - p.maxCoeff()).exp();
    p /= p.sum();
  }
  // out[h] = sum_i p[h, i] v_i,g: value rows a block at a time, so each
  // comes from memory once and from L2 for the other heads, while a head's
  // sums stay in registers across the block.
  constexpr Index kBlock = 32;
  std::fill(out + h0 * d, out + h1 * d, 0.0f);
  for (Index b = 0; b < n; b += kBlock) {
    const Index e = std::min(n, b + kBlock);
    for (int h = h0, g = h0 / group, r = h0 % group; h < h1; ++h) {
      add_weighted<D>(kv, first, b, e, g * d, scores + h * n, out + h * d, d);
      if (++r == group) r = 0, ++g;
    }
  }
}

}  // namespace

void attend(const KvRows& kv, Eigen::Index first, Eigen::Index end, const float* q,
            const AttentionShape& s, float* scores, float* out, int first_head, int end_head) {
  const int h0 = first_head, h1 = end_head < 0 ? s.heads : end_head;
  switch (s.head_dim) {
    case 64:
      return attend_heads<64>(kv, first, end, q, s, scores, out, h0, h1);
    case 128:
      return attend_heads<128>(kv, first, end, q, s, scores, out, h0, h1);
    case 256:
      return attend_heads<256>(kv, first, end, q, s, scores, out, h0, h1);
    default:
      return attend_heads<0>(kv, first, end, q, s, scores, out, h0, h1);
  }
}

}  // namespace beamscope::ops
