// Register-blocked kernels for a few rows times a weight matrix (see the
// header). Written with Eigen's packet primitives so they vectorise to
// whatever Eigen picked for this build (AVX-512, AVX, SSE or NEON).
#include "model/small_batch_matmul.h"

#include <cassert>

namespace beamscope {

namespace {

namespace ei = Eigen::internal;
using Index = Eigen::Index;
using Packet = ei::packet_traits<float>::type;
constexpr Index kLanes = ei::unpacket_traits<Packet>::size;
// Accumulators held in registers per block: 16 of the 32 AVX-512 (or 16 AVX)
// registers, leaving room for the weight packets and the broadcast/loaded
// activations. More rows per block would spill.
constexpr int kAccumulators = 16;

// y[:, j, j + P lanes) (+)= x W[:, j, j + P lanes): walks down all K weight
// rows, loading each weight packet once and FMA-ing it into T row
// accumulators.
template <int T, int P>
EIGEN_ALWAYS_INLINE void matmul_columns(const float* x, Index K, const float* w, Index N, float* y,
                                        Index j, bool accumulate) {
  Packet acc[T][P];
  for (int t = 0; t < T; ++t)
    for (int p = 0; p < P; ++p)
      acc[t][p] =
          accumulate ? ei::ploadu<Packet>(y + t * N + j + p * kLanes) : ei::pset1<Packet>(0);
  const float* wk = w + j;
  for (Index k = 0; k < K; ++k, wk += N) {
    Packet wp[P];
    for (int p = 0; p < P; ++p) wp[p] = ei::ploadu<Packet>(wk + p * kLanes);
    for (int t = 0; t < T; ++t) {
      const Packet xb = ei::pset1<Packet>(x[t * K + k]);
      for (int p = 0; p < P; ++p) acc[t][p] = ei::pmadd(xb, wp[p], acc[t][p]);
    }
  }
  for (int t = 0; t < T; ++t)
    for (int p = 0; p < P; ++p) ei::pstoreu(y + t * N + j + p * kLanes, acc[t][p]);
}

template <int T>
void matmul_rows(const float* x, Index K, const float* w, Index N, float* y, bool accumulate) {
  constexpr int P = kAccumulators / T > 4 ? 4 : kAccumulators / T;
  Index j = 0;
  for (; j + P * kLanes <= N; j += P * kLanes) matmul_columns<T, P>(x, K, w, N, y, j, accumulate);
  for (; j + kLanes <= N; j += kLanes) matmul_columns<T, 1>(x, K, w, N, y, j, accumulate);
  for (; j < N; ++j) {  // fewer than one packet of columns left
    for (int t = 0; t < T; ++t) {
      float sum = accumulate ? y[t * N + j] : 0.0f;
      for (Index k = 0; k < K; ++k) sum += x[t * K + k] * w[k * N + j];
      y[t * N + j] = sum;
    }
  }
}

// y[:, n, n + R) = x E[n, n + R)^T: R dot products per row of x, each over K,
// accumulated lane-wise and reduced once at the end.
template <int T, int R>
EIGEN_ALWAYS_INLINE void dot_rows_block(const float* x, Index K, const float* e, Index N, float* y,
                                        Index n) {
  Packet acc[T][R];
  for (int t = 0; t < T; ++t)
    for (int r = 0; r < R; ++r) acc[t][r] = ei::pset1<Packet>(0);
  const float* en = e + n * K;
  Index k = 0;
  for (; k + kLanes <= K; k += kLanes) {
    Packet ep[R];
    for (int r = 0; r < R; ++r) ep[r] = ei::ploadu<Packet>(en + r * K + k);
    for (int t = 0; t < T; ++t) {
      const Packet xp = ei::ploadu<Packet>(x + t * K + k);
      for (int r = 0; r < R; ++r) acc[t][r] = ei::pmadd(xp, ep[r], acc[t][r]);
    }
  }
  for (int t = 0; t < T; ++t) {
    for (int r = 0; r < R; ++r) {
      float sum = ei::predux(acc[t][r]);
      for (Index kk = k; kk < K; ++kk) sum += x[t * K + kk] * en[r * K + kk];
      y[t * N + n + r] = sum;
    }
  }
}

template <int T>
void dot_rows(const float* x, Index K, const float* e, Index N, float* y) {
  constexpr int R = kAccumulators / T > 8 ? 8 : kAccumulators / T;
  Index n = 0;
  for (; n + R <= N; n += R) dot_rows_block<T, R>(x, K, e, N, y, n);
  for (; n < N; ++n) dot_rows_block<T, 1>(x, K, e, N, y, n);
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

void small_batch_matmul_transposed(const float* x, Index T, Index K, const float* e, Index N,
                                   float* y) {
  with_rows(T, [&]<int R>() { dot_rows<R>(x, K, e, N, y); });
}

}  // namespace beamscope
