#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace beamscope {

// The machine's physical cores available to this process (hyper-threads of
// one core counted once): a decode step is bound by memory bandwidth, which
// a core's second thread does not add to.
int physical_core_count();

// A fixed set of worker threads that run the chunks of one job at a time:
// run(n, body) calls body(i) once for each i in [0, n), on the calling
// thread and the workers (whoever is free takes the next chunk), and returns
// when all are done. Chunks are what
// the caller makes them (a model splits a matrix's column panels), so the
// arithmetic of each output is the same for any number of threads and the
// results are bit-identical.
//
// Workers spin briefly between jobs (a decode step runs ~50 of them a few
// hundred microseconds apart; waking a sleeping thread costs tens of
// microseconds), then sleep. A job started while another runs (a second
// thread using a model) runs all its chunks on its own thread.
class ThreadPool {
 public:
  // `threads` in all, the caller included (1 = no workers).
  // `first_job`: where the job counter starts (tests start it just below
  // 2^32 to check that jobs keep running across the wrap of its low half).
  explicit ThreadPool(int threads, std::uint64_t first_job = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  template <typename Body>
  void run(int chunks, Body&& body) {
    run_erased(
        chunks, [](void* b, int i) { (*static_cast<Body*>(b))(i); }, &body);
  }

  // The pool the model kernels use: physical_core_count() threads unless
  // set_shared_threads was called (beamscope-cli --threads). Changing the
  // count replaces the pool; do it while no model runs.
  static ThreadPool& shared();
  // Which of its pool's threads runs this code: 1 .. threads() - 1 on a
  // worker, 0 on any other thread (the caller of run() included). Lets the
  // chunks of a job use per-thread scratch without allocating.
  static int worker_index();
  static void set_shared_threads(int threads);

 private:
  using Fn = void (*)(void*, int);
  void run_erased(int chunks, Fn fn, void* body);
  void work(int index);
  void work_on(std::uint64_t generation, Fn fn, void* body, int chunks);

  std::vector<std::thread> workers_;
  std::mutex busy_;  // one job at a time
  std::mutex sleep_mutex_;
  std::condition_variable wake_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::uint64_t> next_{0};  // low 32 bits of generation << 32 | next chunk
  std::atomic<int> finished_{0};
  bool stop_ = false;  // under sleep_mutex_
  Fn fn_ = nullptr;
  void* body_ = nullptr;
  int chunks_ = 0;
};

}  // namespace beamscope
