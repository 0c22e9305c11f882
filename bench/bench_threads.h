#pragma once

#include <cstdlib>
#include <string>

#include "util/thread_pool.h"

namespace beamscope {

// The model benchmarks compare one thread with one thread (the references
// run single-threaded, timed in CPU time), so they set the core's pool to
// BEAMSCOPE_BENCH_THREADS, default 1, instead of the machine's cores.
inline void set_bench_threads() {
  const char* env = std::getenv("BEAMSCOPE_BENCH_THREADS");
  ThreadPool::set_shared_threads(env ? std::stoi(env) : 1);
}

}  // namespace beamscope
