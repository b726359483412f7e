#include "parallel/parallel_decoder.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "bzip2/status_codes.h"
#include "bzlib.h"
#include "parallel/worker_pool.h"

namespace bz2napi {

namespace {

// Candidates further apart than this are not decoded in parallel: the walk
// reads them sequentially. A block of 900,000 entries coded at the longest
// code length (20 bits), with the most selectors and six full tables, stays
// below it; a block can be made longer (code-length deltas may go up and down
// without end), but only on purpose, and then libbzip2 alone reads it.
constexpr uint64_t kMostBlockBits =
    20 * (900000 + 2) + 18002 * 6 + 6 * 258 * 41 + 4096;

// Candidates closer than this are read by the walk itself: a job's hand-offs
// between threads (some 10-20 us) would cost more than decoding a block this
// small, in a file of many tiny streams, say (it may still expand a lot: a
// 46 MB block of zeros compresses to about 40 bytes).
constexpr uint64_t kInlineBits = 8 * 4096;

// Compressed bytes taken in per block in flight, besides one longest block.
constexpr uint64_t kWindowPerBlock = 1 << 20;

// The most input bytes copied into one chunk.
constexpr size_t kChunkBytes = 1 << 20;

// The most output a job makes before it stops and leaves the rest of its
// block to the walk: the bound on the memory a block in flight holds. Blocks
// of ordinary data decode to about 1-3 MB; only runs of one byte (zeros, say)
// make more, up to 46 MB a block.
constexpr size_t kJobOutputCap = 8 << 20;

// What a job's libbzip2 stream holds while it decodes (its block array and
// DState), counted until its output is known.
int64_t StateBytes(int level) {
  return int64_t{400000} * level + 65536;
}

uint32_t Fold(uint32_t combined, uint32_t block_crc) {
  return ((combined << 1) | (combined >> 31)) ^ block_crc;
}

}  // namespace

struct ParallelDecoder::Shared {
  std::mutex mutex;
  std::condition_variable done;  // a job's outcome was published
  int64_t job_bytes = 0;         // counted for jobs (under mutex)
};

ParallelDecoder::ParallelDecoder(size_t threads, uint64_t output_limit)
    : max_in_flight_(
          2 *
          std::max<size_t>(1, std::min(threads, WorkerPool::Get().cores()))),
      output_limit_(output_limit),
      window_bytes_((kMostBlockBits + 7) / 8 +
                    kWindowPerBlock * (max_in_flight_ + 1)),
      shared_(std::make_shared<Shared>()) {}

ParallelDecoder::~ParallelDecoder() {
  End();
}

void ParallelDecoder::End() {
  Drop();
  ended_ = true;
}

void ParallelDecoder::Drop() {
  AbandonJobs();
  delivering_.reset();
  sequential_.reset();
  chunks_.clear();
  candidates_.clear();
  unjobbed_ = 0;
}

bool ParallelDecoder::in_stream() const {
  switch (mode_) {
    case Mode::kHeader:
      return !ended_ && failure_ == 0 && end_ > pos_;
    case Mode::kBlocks:
      return !ended_ && failure_ == 0;
    case Mode::kSequential:
      return sequential_ && sequential_->active();
  }
  return false;
}

int64_t ParallelDecoder::allocated_bytes() const {
  int64_t bytes = sequential_ ? sequential_->allocated_bytes() : 0;
  for (const auto& chunk : chunks_)
    bytes += static_cast<int64_t>(chunk->bytes.capacity());
  if (delivering_)
    bytes += static_cast<int64_t>(delivering_->output.capacity());
  if (ended_)
    return bytes;  // jobs still running free theirs when done; not ours now
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return bytes + shared_->job_bytes;
}

DecodeResult ParallelDecoder::Run(const uint8_t* in,
                                  size_t len,
                                  OutputBuffer* out,
                                  size_t limit,
                                  bool last) {
  DecodeResult result;
  const size_t start = out->size();
  if (failure_ != 0) {
    result.ret = failure_;
    return result;
  }
  if (ended_) {
    result.ret = BZ_SEQUENCE_ERROR;
    return result;
  }
  wants_input_ = false;
  try {
    for (;;) {
      Take(in, len, last, &result);
      Dispatch();
      int status = 0;
      switch (Advance(out, limit, &result, &status)) {
        case Next::kProgress:
          continue;
        case Next::kFull:
          return result;
        case Next::kFail:
          return Fail(status, out->size() > start, &result);
        case Next::kWait:
          // Blocks are being decoded: take more input first if there is room
          // for it and the caller may have some.
          if (result.consumed == len && !input_ended_ && Room() &&
              jobs_.size() < max_in_flight_) {
            wants_input_ = true;
            return result;
          }
          if (result.consumed == len || !Room())
            WaitForFront();
          continue;
        case Next::kWantInput:
          if (result.consumed < len && Room())
            continue;
          // At the end of the input too: the caller then has none to give,
          // and ends (a stream begun and not ended is truncated).
          wants_input_ = true;
          return result;
      }
    }
  } catch (const std::bad_alloc&) {
    return Fail(BZ_MEM_ERROR, out->size() > start, &result);
  }
}

DecodeResult ParallelDecoder::Fail(int status,
                                   bool produced,
                                   DecodeResult* result) {
  failure_ = status;
  Drop();
  // Held back to the next call when this one ended a stream or wrote output
  // (Decoder).
  if (result->streams_ended == 0 && !produced)
    result->ret = status;
  return *result;
}

uint64_t ParallelDecoder::first_needed_byte() const {
  switch (mode_) {
    case Mode::kHeader:
      return pos_;
    case Mode::kBlocks:
      return pos_ / 8;
    case Mode::kSequential:
      return fed_;
  }
  return pos_;
}

bool ParallelDecoder::Room() const {
  return end_ - first_needed_byte() < window_bytes_;
}

void ParallelDecoder::Take(const uint8_t* in,
                           size_t len,
                           bool last,
                           DecodeResult* result) {
  while (result->consumed < len) {
    const uint64_t ahead = end_ - first_needed_byte();
    if (ahead >= window_bytes_)
      break;
    const size_t n = static_cast<size_t>(std::min<uint64_t>(
        {len - result->consumed, window_bytes_ - ahead, kChunkBytes}));
    auto chunk = std::make_shared<InputChunk>();
    chunk->offset = end_;
    chunk->bytes.assign(in + result->consumed, in + result->consumed + n);
    chunks_.push_back(chunk);
    end_ += n;
    result->consumed += n;
    Scan(*chunk);
  }
  if (last && result->consumed == len)
    input_ended_ = true;
}

void ParallelDecoder::Scan(const InputChunk& chunk) {
  found_.clear();
  scanner_.Feed(chunk.bytes.data(), chunk.bytes.size(), &found_);
  for (const Magic& magic : found_) {
    if (magic.end) {
      // A stream that ends here has its successor's header at this byte.
      scan_header_ = (magic.bit + 80 + 7) / 8;
    } else if (magic.bit == (scan_header_ + 4) * 8) {
      uint8_t header[4];
      bool have = true;
      for (int i = 0; i < 4 && have; ++i)
        have = ByteAt(scan_header_ + i, &header[i]);
      if (have && header[0] == 'B' && header[1] == 'Z' && header[2] == 'h' &&
          header[3] >= '1' && header[3] <= '9')
        scan_level_ = header[3] - '0';
    }
    candidates_.push_back({magic.bit, magic.end, scan_level_});
  }
}

bool ParallelDecoder::ByteAt(uint64_t offset, uint8_t* byte) const {
  auto it = std::upper_bound(
      chunks_.begin(), chunks_.end(), offset,
      [](uint64_t at, const std::shared_ptr<const InputChunk>& chunk) {
        return at < chunk->offset;
      });
  if (it == chunks_.begin())
    return false;
  const InputChunk& chunk = **(it - 1);
  if (offset >= chunk.offset + chunk.bytes.size())
    return false;
  *byte = chunk.bytes[offset - chunk.offset];
  return true;
}

void ParallelDecoder::Dispatch() {
  while (jobs_.size() < max_in_flight_ && unjobbed_ + 1 < candidates_.size()) {
    const Candidate& at = candidates_[unjobbed_];
    const Candidate& next = candidates_[unjobbed_ + 1];
    if (at.end || next.bit - at.bit > kMostBlockBits ||
        next.bit - at.bit < kInlineBits) {
      ++unjobbed_;
      continue;
    }
    // No job decodes past the caller's limit: the room left after what is
    // delivered and what earlier jobs have decoded.
    uint64_t taken = output_total_;
    if (delivering_)
      taken += delivering_->output.size() - delivered_;
    {
      std::lock_guard<std::mutex> lock(shared_->mutex);
      for (const auto& job : jobs_)
        if (job->outcome != BlockJob::Outcome::kPending)
          taken += job->output.size();
    }
    if (taken > output_limit_)
      return;
    auto job = std::make_shared<BlockJob>();
    job->start_bit = at.bit;
    job->next_bit = next.bit;
    job->level = at.level;
    job->cap = static_cast<size_t>(
        std::min<uint64_t>(output_limit_ - taken + 1, kJobOutputCap));
    const uint64_t first = at.bit / 8;
    const uint64_t end = job->end_byte();
    for (const auto& chunk : chunks_) {
      if (chunk->offset < end && chunk->offset + chunk->bytes.size() > first)
        job->chunks.push_back(chunk);
    }
    job->counted = StateBytes(job->level);
    {
      std::lock_guard<std::mutex> lock(shared_->mutex);
      shared_->job_bytes += job->counted;
    }
    jobs_.push_back(job);
    ++unjobbed_;
    std::shared_ptr<Shared> shared = shared_;
    try {
      WorkerPool::Get().Submit([shared, job](BlockEncoder&) {
        const BlockJob::Outcome outcome =
            job->abandoned.load(std::memory_order_relaxed)
                ? BlockJob::Outcome::kRejected
                : job->Decode();
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->job_bytes -= job->counted;
        if (job->abandoned.load(std::memory_order_relaxed)) {
          job->output = OutputBuffer();
          job->stream.reset();
        }
        job->counted = job->held_bytes();
        shared->job_bytes += job->counted;
        job->outcome = outcome;
        shared->done.notify_all();
      });
    } catch (const std::bad_alloc&) {
      // Not queued: the walk reads this block sequentially.
      std::lock_guard<std::mutex> lock(shared_->mutex);
      shared_->job_bytes -= job->counted;
      job->counted = 0;
      job->outcome = BlockJob::Outcome::kRejected;
    }
  }
}

void ParallelDecoder::WaitForFront() {
  if (jobs_.empty())
    return;
  BlockJob* job = jobs_.front().get();
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->done.wait(
      lock, [job] { return job->outcome != BlockJob::Outcome::kPending; });
}

void ParallelDecoder::AbandonJobs() {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  for (const auto& job : jobs_) {
    job->abandoned.store(true, std::memory_order_relaxed);
    if (job->outcome != BlockJob::Outcome::kPending) {
      shared_->job_bytes -= job->counted;
      job->counted = 0;
    }
    // A pending job uncounts itself when its thread is done with it.
  }
  jobs_.clear();
  unjobbed_ = 0;  // the candidates left may be wanted again, in a later stream
}

uint64_t ParallelDecoder::sequential_bit() const {
  return fed_ * 8 - static_cast<uint64_t>(sequential_->buffered_bits());
}

void ParallelDecoder::Forget() {
  // Candidates and jobs before the walk's position can never be used.
  uint64_t bit = pos_ * 8;
  if (mode_ == Mode::kBlocks)
    bit = pos_;
  else if (mode_ == Mode::kSequential)
    bit = sequential_ ? sequential_bit() : fed_ * 8;
  while (!candidates_.empty() && candidates_.front().bit < bit) {
    candidates_.pop_front();
    if (unjobbed_ > 0)
      --unjobbed_;
  }
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    while (!jobs_.empty() && jobs_.front()->start_bit < bit) {
      BlockJob& job = *jobs_.front();
      job.abandoned.store(true, std::memory_order_relaxed);
      if (job.outcome != BlockJob::Outcome::kPending) {
        shared_->job_bytes -= job.counted;
        job.counted = 0;
      }
      jobs_.pop_front();
    }
  }
  const uint64_t byte = first_needed_byte();
  while (!chunks_.empty() &&
         chunks_.front()->offset + chunks_.front()->bytes.size() <= byte)
    chunks_.pop_front();
}

ParallelDecoder::Next ParallelDecoder::Advance(OutputBuffer* out,
                                               size_t limit,
                                               DecodeResult* result,
                                               int* status) {
  if (delivering_)
    return Deliver(out, limit, status);
  switch (mode_) {
    case Mode::kHeader:
      return AtHeader(status);
    case Mode::kBlocks:
      if (out->size() >= limit)
        return Next::kFull;
      return AtMagic(out, result, status);
    case Mode::kSequential:
      return Sequential(out, limit, result, status);
  }
  return Next::kWantInput;
}

ParallelDecoder::Next ParallelDecoder::Deliver(OutputBuffer* out,
                                               size_t limit,
                                               int* status) {
  OutputBuffer& from = delivering_->output;
  if (delivered_ == 0 && out->size() == 0 && from.capacity() <= limit) {
    // The whole block is the output so far: hand over its buffer.
    output_total_ += from.size();
    *out = std::move(from);
  } else {
    while (delivered_ < from.size()) {
      if (out->free_bytes() == 0 && !out->Grow(limit)) {
        if (out->out_of_memory()) {
          *status = BZ_MEM_ERROR;
          return Next::kFail;
        }
        return Next::kFull;
      }
      // (A buffer handed over earlier may hold more than the limit.)
      const size_t n = std::min(
          {from.size() - delivered_, out->free_bytes(), limit - out->size()});
      if (n == 0)
        return Next::kFull;
      std::memcpy(out->free_space(), from.data() + delivered_, n);
      out->Commit(n);
      delivered_ += n;
      output_total_ += n;
    }
  }
  delivering_.reset();
  delivered_ = 0;
  return Next::kProgress;
}

ParallelDecoder::Next ParallelDecoder::AtHeader(int* status) {
  if (end_ == pos_)
    return Next::kWantInput;  // no stream begun
  uint8_t header[4];
  size_t have = 0;
  while (have < 4 && ByteAt(pos_ + have, &header[have]))
    ++have;
  static const uint8_t kMagic[3] = {'B', 'Z', 'h'};
  bool prefix = true;
  for (size_t i = 0; i < have && prefix; ++i)
    prefix =
        i < 3 ? header[i] == kMagic[i] : header[3] >= '1' && header[3] <= '9';
  if (prefix && have == 4) {
    mode_ = Mode::kBlocks;
    level_ = header[3] - '0';
    combined_crc_ = 0;
    pos_ = (pos_ + 4) * 8;
    Forget();
    return Next::kProgress;
  }
  if (prefix && !input_ended_)
    return Next::kWantInput;
  // Not a header, or one cut short: libbzip2 says what it is.
  *status = StartSequential(true);
  return *status == BZ_OK ? Next::kProgress : Next::kFail;
}

ParallelDecoder::Next ParallelDecoder::AtMagic(OutputBuffer* out,
                                               DecodeResult* result,
                                               int* status) {
  Forget();
  const uint64_t p = pos_;
  const uint64_t held_bits = end_ * 8;
  const bool found = !candidates_.empty() && candidates_.front().bit == p;
  auto sequential = [&]() {
    const int ret = StartSequential(false);
    if (ret != BZ_OK) {
      *status = ret;
      return Next::kFail;
    }
    return Next::kProgress;
  };
  if (!found) {
    // No magic here, as far as the scan knows: libbzip2 reads it.
    // (The scan reports a magic once the 7 bytes from its first are in.)
    if (input_ended_ || end_ >= p / 8 + 7 || !candidates_.empty())
      return sequential();
    return Next::kWantInput;
  }
  if (candidates_.front().end) {
    if (held_bits < p + 80)
      return input_ended_ ? sequential() : Next::kWantInput;
    uint8_t bytes[5] = {};
    for (int i = 0; i < 5; ++i)
      ByteAt((p + 48) / 8 + i, &bytes[i]);  // missing bytes only past the end
    uint64_t word = 0;
    for (uint8_t b : bytes)
      word = (word << 8) | b;
    const uint32_t stored = static_cast<uint32_t>(word >> (8 - (p + 48) % 8));
    if (stored != combined_crc_)
      return sequential();
    EndStream((p + 80 + 7) / 8, out, result);
    return Next::kProgress;
  }
  if (!jobs_.empty() && jobs_.front()->start_bit == p) {
    const std::shared_ptr<BlockJob> job = jobs_.front();
    BlockJob::Outcome outcome;
    {
      std::lock_guard<std::mutex> lock(shared_->mutex);
      outcome = job->outcome;
      if (outcome != BlockJob::Outcome::kPending) {
        // Its memory is counted as the walk's from now on.
        shared_->job_bytes -= job->counted;
        job->counted = 0;
      }
    }
    if (outcome == BlockJob::Outcome::kPending)
      return Next::kWait;
    jobs_.pop_front();
    if (job->level != level_ || outcome == BlockJob::Outcome::kRejected)
      return sequential();  // read at another level, or corrupt
    delivering_ = job;
    delivered_ = 0;
    if (outcome == BlockJob::Outcome::kSuspended) {
      Adopt(job);
      return Next::kProgress;
    }
    combined_crc_ = Fold(combined_crc_, job->crc);
    pos_ = job->next_bit;
    return Next::kProgress;
  }
  // No job starts here: either the next candidate is too far for one, or it
  // is not found yet.
  if (candidates_.size() >= 2 || input_ended_ ||
      held_bits - p > kMostBlockBits + 56)
    return sequential();
  return Next::kWantInput;
}

int ParallelDecoder::StartSequential(bool at_header) {
  auto stream = std::make_unique<DecompressStream>();
  int ret;
  uint64_t fed;
  if (at_header) {
    ret = stream->Init();
    fed = pos_;
  } else if (pos_ % 8 == 0) {
    ret = stream->InitAt(level_, 0, 0, combined_crc_);
    fed = pos_ / 8;
  } else {
    // The walk is only ever at a bit inside a byte where a candidate was
    // found, so that byte is held.
    uint8_t byte = 0;
    if (!ByteAt(pos_ / 8, &byte))
      return BZ_SEQUENCE_ERROR;
    ret = stream->InitAt(level_, byte, 8 - static_cast<int>(pos_ % 8),
                         combined_crc_);
    fed = pos_ / 8 + 1;
  }
  if (ret != BZ_OK)
    return ret;
  sequential_ = std::move(stream);
  sequential_start_ = pos_;
  fed_ = fed;
  can_resync_ = !at_header;
  mode_ = Mode::kSequential;
  Forget();
  return BZ_OK;
}

void ParallelDecoder::Adopt(const std::shared_ptr<BlockJob>& job) {
  // The job's stream has read exactly the input's bits from the block's
  // start (at the stream's level), but folded its blocks' CRCs from 0, not
  // from the stream's CRCs before them. Folding is linear in XOR: after k
  // blocks, the start value only adds its rotation by k.
  sequential_ = std::move(job->stream);
  uint32_t before = combined_crc_;
  for (int k = sequential_->completed_blocks(); k > 0; --k)
    before = Fold(before, 0);
  sequential_->set_combined_crc(before ^ sequential_->combined_crc());
  sequential_start_ = job->start_bit;
  fed_ = job->fed;
  can_resync_ = true;
  mode_ = Mode::kSequential;
  Forget();
}

ParallelDecoder::Next ParallelDecoder::Sequential(OutputBuffer* out,
                                                  size_t limit,
                                                  DecodeResult* result,
                                                  int* status) {
  DecompressStream& stream = *sequential_;
  for (;;) {
    if (fed_ == end_ && !stream.output_pending())
      return Next::kWantInput;
    // Feed up to the end of the next block magic found, to see whether the
    // stream stops just past it: a block boundary, where jobs take over.
    uint64_t stop = end_;
    const Candidate* resync = nullptr;
    if (can_resync_) {
      const uint64_t at = sequential_bit();
      for (const Candidate& candidate : candidates_) {
        // Not the magic it started at: that is where the walk left off.
        if (!candidate.end && candidate.bit >= at &&
            candidate.bit > sequential_start_) {
          resync = &candidate;
          stop = std::min(stop, (candidate.bit + 47) / 8 + 1);
          break;
        }
      }
    }
    const uint8_t* data = nullptr;
    size_t length = 0;
    for (const auto& chunk : chunks_) {
      if (fed_ >= chunk->offset && fed_ < chunk->offset + chunk->bytes.size()) {
        data = chunk->bytes.data() + (fed_ - chunk->offset);
        length = static_cast<size_t>(
            std::min(stop, chunk->offset + chunk->bytes.size()) - fed_);
        break;
      }
    }
    if (data == nullptr && fed_ < end_) {
      *status = BZ_SEQUENCE_ERROR;  // the input there was let go: never
      return Next::kFail;
    }
    size_t used = 0;
    const int ret = stream.Run(data, length, &used, out, limit);
    fed_ += used;
    if (ret == BZ_STREAM_END) {
      sequential_.reset();
      EndStream(fed_, out, result);
      return Next::kProgress;
    }
    if (ret != BZ_OK) {
      *status = ret;
      return Next::kFail;
    }
    if (resync != nullptr && fed_ == stop &&
        stream.boundary() == DecompressStream::Boundary::kBlock &&
        sequential_bit() == resync->bit + 48) {
      // Just past a block magic: every block before it is out and checked.
      combined_crc_ = stream.combined_crc();
      pos_ = resync->bit;
      sequential_.reset();
      mode_ = Mode::kBlocks;
      Forget();
      return Next::kProgress;
    }
    Forget();
    if (out->size() >= limit)
      return Next::kFull;
    if (fed_ == end_)
      return Next::kWantInput;
  }
}

void ParallelDecoder::EndStream(uint64_t next_byte,
                                OutputBuffer* out,
                                DecodeResult* result) {
  ++result->streams_ended;
  result->last_end_output = out->size();
  mode_ = Mode::kHeader;
  pos_ = next_byte;
  Forget();
}

}  // namespace bz2napi
