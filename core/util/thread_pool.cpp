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

// A few microseconds of spinning before a worker sleeps (or a caller
// yields): a decode step's jobs come tens of microseconds apart, and on a
// machine busy with other work spinning longer only takes a core from them.
constexpr int kSpins = 2000;

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

ThreadPool::ThreadPool(int threads, std::uint64_t first_job) : generation_(first_job) {
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
  std::uint64_t generation;
  {
    // Published under the mutex, so a worker reads one job's fields together.
    std::lock_guard lock(sleep_mutex_);
    fn_ = fn;
    body_ = body;
    chunks_ = chunks;
    finished_.store(0, std::memory_order_relaxed);
    generation = generation_.load(std::memory_order_relaxed) + 1;
    next_.store(generation << 32, std::memory_order_relaxed);
    generation_.store(generation, std::memory_order_release);
  }
  wake_.notify_all();
  // The caller takes chunks too, until none is left: on a busy machine a
  // worker may not get a core soon, and then the caller does its share
  // instead of waiting for it.
  work_on(generation, fn, body, chunks);
  for (int spins = 0; finished_.load(std::memory_order_acquire) != chunks; ++spins) {
    if (spins < kSpins) {
      cpu_relax();
    } else {
      std::this_thread::yield();  // a worker with a chunk may share this core
    }
  }
}

void ThreadPool::work_on(std::uint64_t generation, Fn fn, void* body, int chunks) {
  // next_ holds the low half of the job's generation above the next chunk's
  // index, so a worker that wakes after its job is over can never take a
  // chunk of the next job with this one's function. Only the low half fits:
  // compared with all 64 bits, job 2^32 would find no chunk and its caller
  // would wait for ever.
  const std::uint64_t tag = generation & 0xffffffffu;
  std::uint64_t next = next_.load(std::memory_order_relaxed);
  for (;;) {
    if ((next >> 32) != tag || static_cast<int>(next & 0xffffffffu) >= chunks) return;
    if (!next_.compare_exchange_weak(next, next + 1, std::memory_order_acq_rel)) continue;
    fn(body, static_cast<int>(next & 0xffffffffu));
    finished_.fetch_add(1, std::memory_order_acq_rel);
    next = next_.load(std::memory_order_relaxed);
  }
}

namespace {
thread_local int t_worker_index = 0;
}  // namespace

int ThreadPool::worker_index() { return t_worker_index; }

void ThreadPool::work(int index) {
  t_worker_index = index;
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
    work_on(seen, fn, body, chunks);
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
