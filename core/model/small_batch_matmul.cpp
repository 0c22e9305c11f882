// The few-rows-times-weights kernel (see the header). Written with Eigen's packet primitives so
// they vectorise to whatever Eigen picked for this build (AVX-512, AVX, SSE or NEON).
#include "model/small_batch_matmul.h"

#include <algorithm>
#include <cassert>

namespace beamscope {

namespace {

namespace ei = Eigen::internal;
using Index = Eigen::Index;
using Packet = ei::packet_traits<float>::type;
constexpr Index kLanes = ei::unpacket_traits<Packet>::size;
// y[:, j, j + one packet) += x[:, k, k + KB) W[k, k + KB)[:, j, j + one packet)
// for every packet of columns: KB weight rows are read side by side, each
// from start to end. Many sequential streams at once is what lets one core
// approach the memory bandwidth (measured here with 4 KiB pages: 4 rows
// ~17 GB/s, 16 rows ~23 GB/s; with huge pages 16 rows ~27 of a ~30 GB/s
// sum, bench/RESULTS.md); a strip of a few columns walked down all K rows
// instead touches a new page per row and reached ~12 GB/s. y (T rows of at
// most a few thousand floats) stays in L1/L2 between the k blocks.
template <int T, int KB>
EIGEN_ALWAYS_INLINE void accumulate_row_block(const float* x, Index K, const float* wk, Index N,
                                              float* y) {
  Packet xb[T][KB];
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < KB; ++b) xb[t][b] = ei::pset1<Packet>(x[t * K + b]);
  Index j = 0;
  for (; j + kLanes <= N; j += kLanes) {
    Packet wp[KB];
    for (int b = 0; b < KB; ++b) wp[b] = ei::ploadu<Packet>(wk + b * N + j);
    for (int t = 0; t < T; ++t) {
      Packet acc = ei::ploadu<Packet>(y + t * N + j);
      for (int b = 0; b < KB; ++b) acc = ei::pmadd(xb[t][b], wp[b], acc);
      ei::pstoreu(y + t * N + j, acc);
    }
  }
  for (; j < N; ++j) {  // fewer than one packet of columns left
    for (int t = 0; t < T; ++t) {
      float sum = y[t * N + j];
      for (int b = 0; b < KB; ++b) sum += x[t * K + b] * wk[b * N + j];
      y[t * N + j] = sum;
    }
  }
}

template <int T>
void matmul_rows(const float* x, Index K, const float* w, Index N, float* y, bool accumulate) {
  // 16 streams up to 4 rows; beyond that 8, which measured faster for 8 rows
  // (the broadcasts of x no longer fit in the registers either way).
  constexpr int KB = T <= 4 ? 16 : 8;
  if (!accumulate) std::fill(y, y + T * N, 0.0f);
  Index k = 0;
  for (; k + KB <= K; k += KB) accumulate_row_block<T, KB>(x + k, K, w + k * N, N, y);
  for (; k < K; ++k) accumulate_row_block<T, 1>(x + k, K, w + k * N, N, y);
}

// Calls body.template operator()<T>() with T as a compile-time constant, so
// every row count gets its own fully unrolled kernel.
template <typename Body>
void with_rows(Index T, Body&& body) {
  switch (T) {
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
      assert(false && "small_batch_matmul: 1..8 rows only");
  }
}
static_assert(kSmallBatchMaxRows == 8, "with_rows() instantiates 1..8 rows");

}  // namespace

void small_batch_matmul(const float* x, Index T, Index K, const float* w, Index N, float* y,
                        bool accumulate) {
  with_rows(T, [&]<int R>() { matmul_rows<R>(x, K, w, N, y, accumulate); });
}

}  // namespace beamscope
