// The addon's own compression threads: created on first use, shared by every
// compressor in the process (all environments: worker_threads too), and never
// the libuv pool, which fs and dns share and which has only 4 threads by
// default.
//
// However many threads callers reserve, at most as many tasks run at once as
// the process has cores: the work is all CPU, so more running threads give no
// speed, only take the cores from the event loop (with 16 threads on 2 cores
// the main thread waited 200-260 ms per second for a core, and its loop
// stalled for up to 34 ms, against 5 ms with 2). The encoders (a block's work
// arrays each) go with the running tasks rather than the threads, so the pool
// holds at most one per core.
#ifndef BZ2_NAPI_PARALLEL_WORKER_POOL_H_
#define BZ2_NAPI_PARALLEL_WORKER_POOL_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

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

  // The most tasks that run at once: the cores this process may use.
  size_t cores() const { return cores_; }

  // A task gets an encoder of the pool's, kept between blocks, so the 7.6 MB
  // of work arrays at level 9 is not allocated again for every block. Tasks
  // must not throw.
  using Task = std::function<void(BlockEncoder&)>;

  // Runs `task` on some pool thread. Throws std::bad_alloc if it cannot be
  // queued.
  void Submit(Task task);

 private:
  WorkerPool();
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  size_t threads_ = 0;
  size_t running_ = 0;
  const size_t cores_;                        // the most tasks running at once
  std::unique_ptr<BlockEncoder[]> encoders_;  // cores_ of them
  std::vector<BlockEncoder*> idle_encoders_;  // not in a running task
  std::chrono::steady_clock::time_point last_done_;  // a task last ended
  bool arrays_freed_ = true;  // no idle encoder holds work arrays
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_WORKER_POOL_H_
