#include "parallel/block_pipeline.h"

#include <algorithm>
#include <new>
#include <utility>

#include "bzip2/status_codes.h"
#include "bzlib.h"
#include "parallel/worker_pool.h"

namespace bz2napi {

std::shared_ptr<BlockPipeline> BlockPipeline::Create(int level,
                                                     size_t threads,
                                                     size_t limit) {
  return std::make_shared<BlockPipeline>(level, threads, limit);
}

BlockPipeline::BlockPipeline(int level, size_t threads, size_t limit)
    : level_(level),
      threads_(threads),
      // Two blocks per thread that can run: beyond the cores, more threads
      // only queue more copied input.
      max_in_flight_(2 * std::min(threads, WorkerPool::Get().cores())),
      cutter_(level),
      joiner_(limit) {
  const uint8_t header[4] = {'B', 'Z', 'h', static_cast<uint8_t>('0' + level)};
  if (!joiner_.Append(header, 32))
    status_ = joiner_.out_of_memory() ? BZ_MEM_ERROR : kOutputLimit;
}

void BlockPipeline::Append(const uint8_t* data,
                           size_t length,
                           Pace pace,
                           Where where) {
  try {
    AppendOrThrow(data, length, pace, where);
  } catch (const std::bad_alloc&) {
    Abandon(BZ_MEM_ERROR);
  }
}

void BlockPipeline::Finish(Where where) {
  try {
    FinishOrThrow(where);
  } catch (const std::bad_alloc&) {
    Abandon(BZ_MEM_ERROR);
  }
  // The stream ends here: the calling thread compresses nothing more.
  if (where == Where::kCallingThread)
    FreeCallingThreadEncoder();
}

void BlockPipeline::FreeCallingThreadEncoder() {
  here_.reset();
  here_bytes_ = 0;
}

void BlockPipeline::AppendOrThrow(const uint8_t* data,
                                  size_t length,
                                  Pace pace,
                                  Where where) {
  size_t pos = 0;
  while (pos < length) {
    CutBlock cut;
    pos += cutter_.Scan(data + pos, length - pos, &cut);
    if (cut.entries)
      Push(std::move(cut), pace, where);
  }
}

void BlockPipeline::FinishOrThrow(Where where) {
  CutBlock last = cutter_.Finish();
  if (last.entries)
    Push(std::move(last), Pace::kQueue, where);
  std::lock_guard<std::mutex> lock(mutex_);
  finishing_ = true;
  JoinReadyLocked();
  NotifyLocked();
  changed_.notify_all();
}

void BlockPipeline::Abandon(int status) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (status_ == 0)
    FailLocked(status);
  JoinReadyLocked();
  NotifyLocked();
  changed_.notify_all();
}

void BlockPipeline::Push(CutBlock cut, Pace pace, Where where) {
  auto block = std::make_unique<Block>();
  block->cut = std::move(cut);
  if (where == Where::kCallingThread) {
    EncodeHere(*block);
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  if (pace == Pace::kWait)
    changed_.wait(lock, [this] { return Holds(Until::kRoom); });
  if (status_ != 0)
    return;  // failed: nothing more will be joined
  try {
    blocks_.push_back(std::move(block));
  } catch (const std::bad_alloc&) {
    FailLocked(BZ_MEM_ERROR);
    NotifyLocked();
    changed_.notify_all();
    return;
  }
  DispatchLocked();
}

void BlockPipeline::DispatchLocked() {
  while (status_ == 0 && running_ < threads_ && started_ < blocks_.size()) {
    Block* block = blocks_[started_].get();
    try {
      WorkerPool::Get().Submit(
          [self = shared_from_this(), block](BlockEncoder& encoder) {
            self->Encode(block, encoder);
          });
    } catch (const std::bad_alloc&) {
      // Counted as running only once queued, so waiters never wait for it.
      FailLocked(BZ_MEM_ERROR);
      NotifyLocked();
      changed_.notify_all();
      return;
    }
    ++started_;
    ++running_;
  }
}

void BlockPipeline::Encode(Block* block, BlockEncoder& encoder) {
  // The block stays in blocks_ until done is set, so it is read unlocked.
  BlockEncoder::Result result = BlockEncoder::Result::kOutOfMemory;
  try {
    result = encoder.Encode(level_, block->cut.entries.get(), block->cut.length,
                            &block->encoded);
  } catch (const std::bad_alloc&) {
    result = BlockEncoder::Result::kOutOfMemory;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  block->done = true;
  --running_;
  if (result != BlockEncoder::Result::kOk && status_ == 0) {
    FailLocked(result == BlockEncoder::Result::kNotOneBlock ? BZ_PARAM_ERROR
                                                            : BZ_MEM_ERROR);
  }
  JoinReadyLocked();
  DispatchLocked();
  NotifyLocked();
  changed_.notify_all();
}

void BlockPipeline::EncodeHere(const Block& block) {
  {
    // Blocks queued by earlier asynchronous calls come first in the stream.
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return Holds(Until::kSettled); });
    if (status_ != 0)
      return;  // failed: nothing more will be joined
  }
  // Not under the lock: nothing else touches here_, and the pool's threads
  // have nothing of this stream's to do meanwhile.
  BlockEncoder::Result result = BlockEncoder::Result::kOutOfMemory;
  EncodedBlock encoded;
  try {
    if (!here_)
      here_ = std::make_unique<BlockEncoder>();
    result = here_->Encode(level_, block.cut.entries.get(), block.cut.length,
                           &encoded);
    if (result == BlockEncoder::Result::kOk)
      here_bytes_ = BlockEncoder::Bytes(level_);
  } catch (const std::bad_alloc&) {
    result = BlockEncoder::Result::kOutOfMemory;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (status_ == 0) {
    if (result == BlockEncoder::Result::kOk) {
      JoinLocked(encoded);
    } else {
      FailLocked(result == BlockEncoder::Result::kNotOneBlock ? BZ_PARAM_ERROR
                                                              : BZ_MEM_ERROR);
    }
  }
  NotifyLocked();
  changed_.notify_all();
}

bool BlockPipeline::Holds(Until until) const {
  if (until == Until::kRoom)
    return status_ != 0 || blocks_.size() < max_in_flight_;
  if (running_ != 0)
    return false;
  return status_ != 0 || (blocks_.empty() && (!finishing_ || finished_));
}

void BlockPipeline::JoinReadyLocked() {
  while (!blocks_.empty() && blocks_.front()->done) {
    if (status_ == 0)
      JoinLocked(blocks_.front()->encoded);
    blocks_.pop_front();
    --started_;
  }
  if (status_ == 0 && finishing_ && !finished_ && blocks_.empty()) {
    const uint32_t crc = combined_crc_;
    const uint8_t trailer[10] = {0x17,
                                 0x72,
                                 0x45,
                                 0x38,
                                 0x50,
                                 0x90,
                                 static_cast<uint8_t>(crc >> 24),
                                 static_cast<uint8_t>(crc >> 16),
                                 static_cast<uint8_t>(crc >> 8),
                                 static_cast<uint8_t>(crc)};
    if (!joiner_.Append(trailer, 80) || !joiner_.PadToByte())
      FailLocked(joiner_.out_of_memory() ? BZ_MEM_ERROR : kOutputLimit);
    finished_ = true;
  }
}

void BlockPipeline::JoinLocked(const EncodedBlock& encoded) {
  combined_crc_ = ((combined_crc_ << 1) | (combined_crc_ >> 31)) ^ encoded.crc;
  if (!joiner_.Append(encoded.bytes.data(), encoded.bits))
    FailLocked(joiner_.out_of_memory() ? BZ_MEM_ERROR : kOutputLimit);
  joined_block_ = true;
}

void BlockPipeline::FailLocked(int status) {
  status_ = status;
  // Blocks not handed to the pool are dropped now; the running ones are
  // dropped as they finish.
  blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(started_),
                blocks_.end());
}

void BlockPipeline::NotifyLocked() {
  if (notify_ && Holds(notify_until_)) {
    std::function<void()> notify = std::exchange(notify_, nullptr);
    notify_tag_ = nullptr;
    notify();
  }
}

void BlockPipeline::Wait(Until until) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this, until] { return Holds(until); });
}

bool BlockPipeline::WhenReady(Until until,
                              std::function<void()> notify,
                              const void* tag) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Holds(until))
    return true;
  notify_ = std::move(notify);
  notify_until_ = until;
  notify_tag_ = tag;
  return false;
}

void BlockPipeline::ForgetNotifier(const void* tag) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (notify_tag_ == tag) {
    notify_ = nullptr;
    notify_tag_ = nullptr;
  }
}

int BlockPipeline::status() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

OutputBuffer BlockPipeline::TakeOutput() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!joined_block_ && !finished_)
    return OutputBuffer();  // the header waits for the first block
  return joiner_.TakeWholeBytes();
}

}  // namespace bz2napi
