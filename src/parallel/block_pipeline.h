// One bzip2 stream compressed block by block: the main thread cuts the input
// into exactly the blocks bzlib.c would make (BlockCutter); BlockEncoder
// compresses them, on pool threads or (Where::kCallingThread) on the calling
// thread itself; whichever thread finishes the next block in order joins it
// onto the stream (BitJoiner) and folds its CRC into the stream's. The bytes
// equal libbzip2's single-threaded output, and come out when libbzip2's do:
// nothing, not even the stream header, before the first block (libbzip2
// writes the header with it); after that every whole byte joined, which is up
// to 3 bytes ahead of libbzip2 (it keeps up to 31 bits in its bit buffer).
//
// The calling thread's encoder (one block's work arrays, 7.6 MB at level 9) is
// made at the first block it compresses and freed when the stream ends there,
// or by FreeCallingThreadEncoder(); the pool's encoders are the pool's.
//
// Memory stays bounded when callers wait for room (Until::kRoom) between
// appends of about a block each, as lib/ does: then about twice as many blocks
// as threads are cut and not yet joined, each kept after the first run-length
// stage (at most 100000 x level bytes, however long its input's runs). An
// append with Pace::kWait waits by itself. No block points into the caller's
// input: it may change or go as soon as Append returns.
//
// Running out of memory fails the pipeline with BZ_MEM_ERROR (nothing throws
// out of it): after a failure every later output is refused, so input counted
// but not kept can never show up as a corrupt stream.
#ifndef BZ2_NAPI_PARALLEL_BLOCK_PIPELINE_H_
#define BZ2_NAPI_PARALLEL_BLOCK_PIPELINE_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "bzip2/output_buffer.h"
#include "bzip2/status_codes.h"
#include "parallel/bit_joiner.h"
#include "parallel/block_cutter.h"
#include "parallel/block_encoder.h"

namespace bz2napi {

class BlockPipeline : public std::enable_shared_from_this<BlockPipeline> {
 public:
  enum class Until {
    kRoom,     // fewer blocks in flight than the bound, or failed
    kSettled,  // no block in flight (the trailer written if finishing), or
               // failed and no thread still reading input
  };

  // `limit`: the most whole output bytes held between TakeOutput calls.
  static std::shared_ptr<BlockPipeline> Create(int level,
                                               size_t threads,
                                               size_t limit);

  // Main thread only: Append, Finish. Any thread: the rest.

  // How Append keeps blocks in bounded flight. kWait: it waits for room
  // before each new block (a synchronous call, which cuts its whole input at
  // once). kQueue: it queues them (the caller waits for room itself).
  enum class Pace { kWait, kQueue };

  // Where the blocks cut by a call are compressed. kCallingThread: before the
  // call returns, on the calling thread (after every block queued earlier has
  // been joined, so the stream stays in order); no pool thread is needed.
  enum class Where { kPool, kCallingThread };

  // Adds input.
  void Append(const uint8_t* data,
              size_t length,
              Pace pace,
              Where where = Where::kPool);
  // Ends the input: the rest becomes the last block, then the trailer.
  void Finish(Where where = Where::kPool);
  // Fails with `status` (kCancelled, BZ_MEM_ERROR) unless already failed:
  // blocks not yet started are dropped; blocks being compressed finish and are
  // dropped.
  void Abandon(int status);

  // Blocks the calling thread until `until` holds.
  void Wait(Until until);
  // True if `until` holds now. Otherwise `notify` is called once, on some
  // thread and under the pipeline's lock, when it does (unless forgotten).
  bool WhenReady(Until until, std::function<void()> notify, const void* tag);
  // Forgets the notifier registered with `tag`, if it is still registered.
  void ForgetNotifier(const void* tag);

  // The most blocks cut and not yet joined (2 x the threads that can run at
  // once, min(threads, cores)).
  size_t max_in_flight() const { return max_in_flight_; }

  // 0, or the failure: BZ_MEM_ERROR, kOutputLimit, kCancelled (or
  // BZ_PARAM_ERROR, which a block as cut cannot cause).
  int status() const;
  // The whole output bytes joined so far; none before the first block is
  // joined or the stream is finished (as libbzip2, which writes its header
  // with the first block).
  OutputBuffer TakeOutput();

  // Main thread only. The bytes the calling thread's encoder holds now (0 when
  // it has none), and freeing it.
  size_t calling_thread_encoder_bytes() const { return here_bytes_; }
  void FreeCallingThreadEncoder();

  BlockPipeline(int level, size_t threads, size_t limit);

 private:
  struct Block {
    CutBlock cut;
    bool done = false;
    EncodedBlock encoded;
  };

  void Push(CutBlock cut, Pace pace, Where where);
  void AppendOrThrow(const uint8_t* data,
                     size_t length,
                     Pace pace,
                     Where where);
  void FinishOrThrow(Where where);
  void Encode(Block* block, BlockEncoder& encoder);  // on a pool thread
  void EncodeHere(const Block& block);               // on the calling thread
  // These need the lock.
  bool Holds(Until until) const;
  void DispatchLocked();
  void JoinReadyLocked();
  void JoinLocked(const EncodedBlock& encoded);
  void FailLocked(int status);
  void NotifyLocked();

  const int level_;
  const size_t threads_;
  const size_t max_in_flight_;

  // Main thread only.
  BlockCutter cutter_;
  std::unique_ptr<BlockEncoder> here_;  // the calling thread's, once needed
  size_t here_bytes_ = 0;               // what here_ holds

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Block>> blocks_;  // cut, not yet joined, in order
  size_t started_ = 0;  // blocks_[0, started_) were handed to the pool
  size_t running_ = 0;
  BitJoiner joiner_;
  bool joined_block_ = false;  // a block has been joined
  uint32_t combined_crc_ = 0;
  bool finishing_ = false;
  bool finished_ = false;
  int status_ = 0;
  std::function<void()> notify_;
  Until notify_until_ = Until::kRoom;
  const void* notify_tag_ = nullptr;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_BLOCK_PIPELINE_H_
