// The addon's own compression threads: created on first use, shared by every
// compressor in the process (all environments: worker_threads too), and never
// the libuv pool, which fs and dns share and which has only 4 threads by
// default.
#ifndef BZ2_NAPI_PARALLEL_WORKER_POOL_H_
#define BZ2_NAPI_PARALLEL_WORKER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "parallel/block_encoder.h"

namespace bz2napi {

class WorkerPool {
 public:
  // Most threads the pool starts, whatever a caller asks for: beyond the cores
  // more threads only add memory (a block's work arrays each).
  static constexpr size_t kMaxThreads = 64;

  // The process's pool. It is never destroyed: its threads may still be
  // finishing a block while the process exits.
  static WorkerPool& Get();

  // Starts threads until there are `count` (at most kMaxThreads). Returns how
  // many there are, which may be fewer if the system refuses more.
  size_t Reserve(size_t count);

  // A task gets the encoder of the thread that runs it: each thread keeps one
  // between blocks, so the 7.6 MB of work arrays at level 9 is not allocated
  // again for every block. Tasks must not throw.
  using Task = std::function<void(BlockEncoder&)>;

  // Runs `task` on some pool thread. Throws std::bad_alloc if it cannot be
  // queued.
  void Submit(Task task);

 private:
  WorkerPool() = default;
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  size_t threads_ = 0;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_WORKER_POOL_H_
