#include "util/thread_pool.h"

#include <sched.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "util/error.h"

namespace beamscope {

namespace {

// About 50 microseconds of spinning before a worker sleeps.
constexpr int kSpins = 20000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

std::unique_ptr<ThreadPool>& shared_slot() {
  static std::unique_ptr<ThreadPool> pool;
  return pool;
}
std::mutex& shared_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

int physical_core_count() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) {
    return std::max(1u, std::thread::hardware_concurrency());
  }
  // (package, core) pairs of the CPUs this process may run on.
  std::set<std::pair<std::string, std::string>> cores;
  int cpus = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    ++cpus;
    const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    std::ifstream package(dir + "physical_package_id"), core(dir + "core_id");
    std::string p, c;
    if (!(package >> p) || !(core >> c)) return std::max(1, cpus == 0 ? 1 : CPU_COUNT(&allowed));
    cores.emplace(p, c);
  }
  return std::max<int>(1, static_cast<int>(cores.size()));
}

ThreadPool::ThreadPool(int threads) {
  if (threads < 1) throw Error("A thread pool needs at least one thread.");
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(sleep_mutex_);
    stop_ = true;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::run_erased(int chunks, Fn fn, void* body) {
  if (chunks <= 0) return;
  std::unique_lock busy(busy_, std::try_to_lock);
  if (chunks == 1 || workers_.empty() || !busy.owns_lock()) {
    for (int i = 0; i < chunks; ++i) fn(body, i);
    return;
  }
  // Chunks beyond the workers run here too, after chunk 0.
  const int handed = std::min(chunks - 1, static_cast<int>(workers_.size()));
  pending_.store(handed, std::memory_order_relaxed);
  {
    // Published under the mutex, so a worker reads one job's fields together.
    std::lock_guard lock(sleep_mutex_);
    fn_ = fn;
    body_ = body;
    chunks_ = handed + 1;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  fn(body, 0);
  for (int i = handed + 1; i < chunks; ++i) fn(body, i);
  while (pending_.load(std::memory_order_acquire) != 0) cpu_relax();
}

void ThreadPool::work(int index) {
  std::uint64_t seen = 0;
  for (;;) {
    int spins = 0;
    while (generation_.load(std::memory_order_acquire) == seen && ++spins < kSpins) cpu_relax();
    if (generation_.load(std::memory_order_acquire) == seen) {
      std::unique_lock lock(sleep_mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    }
    Fn fn;
    void* body;
    int chunks;
    {
      std::lock_guard lock(sleep_mutex_);
      if (stop_) return;
      seen = generation_.load(std::memory_order_relaxed);
      fn = fn_;
      body = body_;
      chunks = chunks_;
    }
    if (index < chunks) {
      fn(body, index);
      pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
}

ThreadPool& ThreadPool::shared() {
  std::lock_guard lock(shared_mutex());
  auto& pool = shared_slot();
  if (!pool) pool = std::make_unique<ThreadPool>(physical_core_count());
  return *pool;
}

void ThreadPool::set_shared_threads(int threads) {
  if (threads < 1 || threads > 1024) {
    throw Error("--threads must be between 1 and 1024, not " + std::to_string(threads) + ".");
  }
  std::lock_guard lock(shared_mutex());
  shared_slot() = std::make_unique<ThreadPool>(threads);
}

}  // namespace beamscope
