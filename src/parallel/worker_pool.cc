#include "parallel/worker_pool.h"

#include <chrono>
#include <new>
#include <system_error>
#include <thread>
#include <utility>

#include "parallel/block_encoder.h"

namespace bz2napi {

namespace {

// An idle thread frees its encoder's work arrays after this long, so a
// service that compresses now and then does not hold 7.6 MB per thread.
constexpr std::chrono::seconds kIdleRelease{2};

}  // namespace

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
  // On this thread's stack rather than thread_local: dynamic TLS in an addon
  // loaded with dlopen is invisible to (and crashes) LeakSanitizer.
  BlockEncoder encoder;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (tasks_.empty()) {
      if (!wake_.wait_for(lock, kIdleRelease,
                          [this] { return !tasks_.empty(); })) {
        lock.unlock();
        encoder.Free();
        lock.lock();
        wake_.wait(lock, [this] { return !tasks_.empty(); });
      }
    }
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task(encoder);
    task = nullptr;  // drop what it holds before waiting again
    lock.lock();
  }
}

}  // namespace bz2napi
