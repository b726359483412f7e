#include "parallel/worker_pool.h"

#include <chrono>
#include <new>
#include <system_error>
#include <thread>
#include <utility>

#include "parallel/block_encoder.h"

#if defined(__linux__)
#include <sched.h>
#endif

namespace bz2napi {

namespace {

// An idle thread frees its encoder's work arrays after this long, so a
// service that compresses now and then does not hold 7.6 MB per thread.
constexpr std::chrono::seconds kIdleRelease{2};

// The cores this process may run on: its CPU affinity where the system tells
// it (as libuv's uv_available_parallelism, which os.availableParallelism()
// reports), else the machine's.
size_t AvailableCores() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<size_t>(CPU_COUNT(&set));
#endif
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 0 ? cores : 1;
}

}  // namespace

WorkerPool::WorkerPool()
    : cores_(AvailableCores()),
      encoders_(new BlockEncoder[cores_]),
      last_done_(std::chrono::steady_clock::now()) {
  idle_encoders_.reserve(cores_);  // never grows past this: no throw later
  for (size_t i = 0; i < cores_; ++i)
    idle_encoders_.push_back(&encoders_[i]);
}

WorkerPool& WorkerPool::Get() {
  static WorkerPool* pool = new WorkerPool();  // never destroyed, see header
  return *pool;
}

size_t WorkerPool::Reserve(size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (count > kMaxThreads)
    count = kMaxThreads;
  while (threads_ < count) {
    try {
      std::thread(&WorkerPool::Run, this).detach();
    } catch (const std::system_error&) {
      break;
    } catch (const std::bad_alloc&) {
      break;
    }
    ++threads_;
  }
  return threads_;
}

void WorkerPool::Submit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void WorkerPool::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto may_run = [this] { return !tasks_.empty() && running_ < cores_; };
  for (;;) {
    while (!may_run()) {
      if (arrays_freed_) {
        wake_.wait(lock, may_run);
        break;
      }
      if (wake_.wait_for(lock, kIdleRelease, may_run))
        break;
      // Free the work arrays once the whole pool has been idle that long.
      if (running_ == 0 &&
          std::chrono::steady_clock::now() - last_done_ >= kIdleRelease) {
        for (BlockEncoder* encoder : idle_encoders_)
          encoder->Free();
        arrays_freed_ = true;
      }
    }
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    ++running_;
    arrays_freed_ = false;
    BlockEncoder* encoder = idle_encoders_.back();  // running_ <= cores_
    idle_encoders_.pop_back();
    lock.unlock();
    task(*encoder);
    task = nullptr;  // drop what it holds before waiting again
    lock.lock();
    idle_encoders_.push_back(encoder);
    --running_;
    last_done_ = std::chrono::steady_clock::now();
    // A task may have waited for this core rather than for a thread.
    if (!tasks_.empty())
      wake_.notify_one();
  }
}

}  // namespace bz2napi
