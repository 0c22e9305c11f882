// Column-panel weights and their product kernel (see the header). Written
// with Eigen's packet primitives, so it vectorises to whatever Eigen picked
// for this build (AVX-512, AVX, SSE or NEON).
#include "model/panel_matrix.h"

#include <algorithm>
#include <cassert>

#include "util/error.h"

namespace beamscope {

namespace {

namespace ei = Eigen::internal;
using Index = Eigen::Index;
using Packet = ei::packet_traits<float>::type;
constexpr Index kLanes = ei::packet_traits<float>::size;
// Two packets: with 8 rows that is 16 accumulators, half the AVX-512 (or
// all the AVX) registers, leaving room for the two weight packets. Wider
// panels were not faster and spill with 8 rows on AVX.
constexpr int kPacketsPerPanel = 2;
constexpr Index kWidth = kPacketsPerPanel * kLanes;
// Rows per pass over a panel. 8 keeps the accumulators in registers; the
// panel is re-read from L2 for the next 8.
constexpr int kMaxGroupRows = 8;

// out[t, 0..cols) = x[t, :] P (+ out when accumulate) for MR rows of x and one
// panel P [K, kWidth]. x rows are K apart, out rows N apart.
template <int MR>
void panel_product(const float* x, Index K, const float* panel, float* out, Index N, Index cols,
                   bool accumulate) {
  Packet acc[MR][kPacketsPerPanel];
  for (int t = 0; t < MR; ++t)
    for (int g = 0; g < kPacketsPerPanel; ++g) acc[t][g] = ei::pset1<Packet>(0.0f);
  for (Index k = 0; k < K; ++k, panel += kWidth) {
    Packet w[kPacketsPerPanel];
    for (int g = 0; g < kPacketsPerPanel; ++g) w[g] = ei::pload<Packet>(panel + g * kLanes);
    for (int t = 0; t < MR; ++t) {
      const Packet xb = ei::pset1<Packet>(x[t * K + k]);
      for (int g = 0; g < kPacketsPerPanel; ++g) acc[t][g] = ei::pmadd(xb, w[g], acc[t][g]);
    }
  }
  for (int t = 0; t < MR; ++t) {
    float* y = out + t * N;
    if (cols == kWidth) {
      for (int g = 0; g < kPacketsPerPanel; ++g) {
        Packet v = acc[t][g];
        if (accumulate) v = ei::padd(ei::ploadu<Packet>(y + g * kLanes), v);
        ei::pstoreu(y + g * kLanes, v);
      }
    } else {  // the last, partial panel: only `cols` columns exist in out
      alignas(64) float row[kWidth];
      for (int g = 0; g < kPacketsPerPanel; ++g) ei::pstore(row + g * kLanes, acc[t][g]);
      for (Index c = 0; c < cols; ++c) y[c] = accumulate ? y[c] + row[c] : row[c];
    }
  }
}

// Calls body.template operator()<R>() with R = rows as a compile-time
// constant, so every group size gets its own fully unrolled kernel.
template <typename Body>
void with_rows(Index rows, Body&& body) {
  switch (rows) {
    case 1:
      return body.template operator()<1>();
    case 2:
      return body.template operator()<2>();
    case 3:
      return body.template operator()<3>();
    case 4:
      return body.template operator()<4>();
    case 5:
      return body.template operator()<5>();
    case 6:
      return body.template operator()<6>();
    case 7:
      return body.template operator()<7>();
    case 8:
      return body.template operator()<8>();
    default:
      assert(false && "panel_product: 1..8 rows per group");
  }
}
static_assert(kMaxGroupRows == 8, "with_rows() instantiates 1..8 rows");

}  // namespace

Index PanelMatrix::panel_width() { return kWidth; }

PanelMatrix::PanelMatrix(Index K, Index N) : K_(K), N_(N), panels_((N + kWidth - 1) / kWidth) {
  if (K <= 0 || N <= 0) throw Error("A weight matrix needs at least one row and one column.");
  data_.assign(static_cast<std::size_t>(panels_ * K * kWidth), 0.0f);
}

std::size_t PanelMatrix::offset(Index k, Index n) const {
  return static_cast<std::size_t>(((n / kWidth) * K_ + k) * kWidth + n % kWidth);
}

PanelMatrix PanelMatrix::from_rows(const float* w, Index K, Index N) {
  PanelMatrix m(K, N);
  float* out = m.data_.data();
  for (Index p = 0; p < m.panels_; ++p) {
    const Index first = p * kWidth, cols = std::min(kWidth, N - first);
    for (Index k = 0; k < K; ++k, out += kWidth) std::copy_n(w + k * N + first, cols, out);
  }
  return m;
}

PanelMatrix PanelMatrix::from_columns(const float* w_t, Index K, Index N) {
  PanelMatrix m(K, N);
  // One panel is kWidth rows of W^T (a few hundred KiB at most), so both the
  // rows read and the panel written stay in cache.
  for (Index p = 0; p < m.panels_; ++p) {
    float* panel = m.data_.data() + p * K * kWidth;
    const Index first = p * kWidth, cols = std::min(kWidth, N - first);
    for (Index c = 0; c < cols; ++c) {
      const float* column = w_t + (first + c) * K;
      for (Index k = 0; k < K; ++k) panel[k * kWidth + c] = column[k];
    }
  }
  return m;
}

void PanelMatrix::copy_column(Index n, float* out) const {
  const float* p = data_.data() + offset(0, n);
  for (Index k = 0; k < K_; ++k) out[k] = p[k * kWidth];
}

void PanelMatrix::multiply(const float* x, Index T, float* y, bool accumulate) const {
  // Panels outer, row groups inner: each panel comes from memory once and
  // from L2 for every further group of rows.
  for (Index p = 0; p < panels_; ++p) {
    const float* panel = data_.data() + p * K_ * kWidth;
    const Index first = p * kWidth, cols = std::min(kWidth, N_ - first);
    for (Index t = 0; t < T; t += kMaxGroupRows) {
      const Index rows = std::min<Index>(kMaxGroupRows, T - t);
      with_rows(rows, [&]<int R>() {
        panel_product<R>(x + t * K_, K_, panel, y + t * N_ + first, N_, cols, accumulate);
      });
    }
  }
}

}  // namespace beamscope
