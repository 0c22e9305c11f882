#pragma once

// Clocks and the memory-bandwidth yardstick shared by the model benchmarks.
// The machine is shared, so wall-clock time mostly measures the neighbours:
// steps and bandwidth are both taken in this thread's CPU time, so their
// ratio means something.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <ctime>

#include "model/aligned_buffer.h"

namespace beamscope::bench {

inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

inline double wall_seconds() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Bytes per CPU second of the best of ten sums of a 1 GiB buffer allocated
// like the weights (2 MiB aligned, huge pages requested): the best a single
// sequential read achieves here. Neighbours' traffic only ever slows a pass
// down, hence the best. Measured once per process.
inline double bandwidth_bytes_per_second() {
  static const double best = [] {
    FloatBuffer buffer(std::size_t{1} << 28, 1.0f);
    double sink = 0, rate = 0;
    for (int i = 0; i < 10; ++i) {
      const double start = thread_cpu_seconds();
      // Eigen's vectorised sum keeps several accumulators in flight, so the
      // loop is limited by memory, not by add latency.
      sink +=
          Eigen::Map<const Eigen::VectorXf>(buffer.data(), static_cast<Eigen::Index>(buffer.size()))
              .sum();
      rate = std::max(rate, buffer.size() * sizeof(float) / (thread_cpu_seconds() - start));
    }
    benchmark::DoNotOptimize(sink);
    return rate;
  }();
  return best;
}

// F32 FMAs per CPU second on this core: 12 independent accumulators of
// Eigen's widest packet (AVX-512 or AVX2), enough to cover the FMA latency, so
// the loop runs at the FMA units' throughput. Measured once (best of five),
// like the bandwidth.
inline double fma_flops_per_second() {
  static const double best = [] {
    namespace ei = Eigen::internal;
    using Packet = ei::packet_traits<float>::type;
    constexpr int kLanes = ei::packet_traits<float>::size;
    constexpr int kChains = 12;
    constexpr long kIterations = 50'000'000;
    double best_rate = 0;
    for (int run = 0; run < 5; ++run) {
      Packet acc[kChains];
      for (int c = 0; c < kChains; ++c) acc[c] = ei::pset1<Packet>(1.0f + 1e-3f * c);
      const Packet a = ei::pset1<Packet>(0.999999f), b = ei::pset1<Packet>(1e-7f);
      const double start = thread_cpu_seconds();
      // Without -ffast-math the compiler must do every FMA, in order; the
      // sum below keeps the result alive.
      for (long i = 0; i < kIterations; ++i) {
        for (int c = 0; c < kChains; ++c) acc[c] = ei::pmadd(acc[c], a, b);
      }
      const double seconds = thread_cpu_seconds() - start;
      float sum = 0;
      for (int c = 0; c < kChains; ++c) sum += ei::predux(acc[c]);
      benchmark::DoNotOptimize(sum);
      best_rate = std::max(best_rate, 2.0 * kLanes * kChains * kIterations / seconds);
    }
    return best_rate;
  }();
  return best;
}

}  // namespace beamscope::bench
