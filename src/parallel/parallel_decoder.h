// Decodes concatenated bzip2 streams with the blocks of each stream decoded
// at once on the addon's pool, giving exactly the output and the verdict of
// StreamDecoder (libbzip2 alone, in order) for every input. Plain C++.
//
// MagicScanner finds candidate block starts in the input as it comes. A
// candidate and the candidate after it make a BlockJob, decoded on a pool
// thread by libbzip2 itself, started at that bit. The calling thread walks
// the streams in order, as libbzip2 would: it reads each stream header, takes
// the job that starts exactly where the previous block ended, folds its CRC
// into the stream's, and checks the stream CRC at the end-of-stream magic.
// The moment anything is not as a valid stream would have it (a header it
// cannot read, no candidate or a rejected one where a block must start, a
// stream CRC that differs, input that ends), it stops guessing: a libbzip2
// stream started at that very bit, with the stream's level and the CRCs
// folded so far (DecompressStream::InitAt), or the job's own stream when it
// stopped short of the block's end (BlockJob), reads on from the input's own
// bytes, and its output and its verdict are the sequential ones, since from
// that bit on it *is* the sequential decoder. Once it stops just past a block
// magic where a candidate is, the walk takes the jobs again from there.
//
// Memory: at most 2 x min(threads, cores) blocks are being decoded or
// waiting to be delivered, each with at most 8 MiB of output (a block that
// expands further is finished by the walk, in the caller's steps); input is
// taken in only a few blocks ahead (a window of compressed bytes), and no job
// decodes more output than the caller's total limit leaves room for.
#ifndef BZ2_NAPI_PARALLEL_PARALLEL_DECODER_H_
#define BZ2_NAPI_PARALLEL_PARALLEL_DECODER_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "bzip2/decoder.h"
#include "bzip2/decompress_stream.h"
#include "parallel/block_job.h"
#include "parallel/magic_scanner.h"

namespace bz2napi {

class ParallelDecoder : public Decoder {
 public:
  // `threads`: blocks decoded at once, at most (the pool runs no more than
  // its cores). `output_limit`: the most output the caller takes in all.
  ParallelDecoder(size_t threads, uint64_t output_limit);
  ~ParallelDecoder() override;
  ParallelDecoder(const ParallelDecoder&) = delete;
  ParallelDecoder& operator=(const ParallelDecoder&) = delete;

  // Decoder. Input is copied in as far as the window allows (`consumed`); a
  // call returns when the output reaches `limit`, when it wants input it
  // was not given (the blocks taken in go on decoding meanwhile), or at the
  // end of the input (`last`) with everything decided.
  DecodeResult Run(const uint8_t* in,
                   size_t len,
                   OutputBuffer* out,
                   size_t limit,
                   bool last) override;
  void End() override;
  bool in_stream() const override;
  bool done() const override { return false; }
  bool needs_input() const override {
    return !ended_ && failure_ == 0 && wants_input_;
  }
  int64_t allocated_bytes() const override;

  // Blocks being decoded or waiting, at most.
  size_t max_in_flight() const { return max_in_flight_; }

 private:
  enum class Mode {
    kHeader,      // a stream header may begin at byte pos_
    kBlocks,      // in a stream: a magic is due at bit pos_
    kSequential,  // libbzip2 reads on from byte fed_
  };
  enum class Next {
    kProgress,   // something changed: go on
    kWantInput,  // nothing more without input
    kWait,       // the block due is still being decoded
    kFull,       // the output reached its limit
    kFail,       // the stream failed (status in *status)
  };
  struct Candidate {
    uint64_t bit;
    bool end;   // end-of-stream magic
    int level;  // of the header before it, as far as the scan knows
  };
  struct Shared;

  void Take(const uint8_t* in, size_t len, bool last, DecodeResult* result);
  void Scan(const InputChunk& chunk);
  void Dispatch();
  bool Room() const;
  Next Advance(OutputBuffer* out,
               size_t limit,
               DecodeResult* result,
               int* status);
  Next Deliver(OutputBuffer* out, size_t limit, int* status);
  Next AtHeader(int* status);
  Next AtMagic(OutputBuffer* out, DecodeResult* result, int* status);
  Next Sequential(OutputBuffer* out,
                  size_t limit,
                  DecodeResult* result,
                  int* status);
  int StartSequential(bool at_header);
  void Adopt(const std::shared_ptr<BlockJob>& job);
  // The bit the sequential stream has read up to.
  uint64_t sequential_bit() const;
  void EndStream(uint64_t next_byte, OutputBuffer* out, DecodeResult* result);
  void WaitForFront();
  void AbandonJobs();
  // Lets go of every job, stream, output and input held.
  void Drop();
  void Forget();
  uint64_t first_needed_byte() const;
  // The input's byte at `offset`, if still held.
  bool ByteAt(uint64_t offset, uint8_t* byte) const;
  DecodeResult Fail(int status, bool produced, DecodeResult* result);

  const size_t max_in_flight_;
  const uint64_t output_limit_;
  const uint64_t window_bytes_;
  std::shared_ptr<Shared> shared_;

  std::deque<std::shared_ptr<const InputChunk>> chunks_;  // in order
  uint64_t end_ = 0;  // input bytes taken in
  bool input_ended_ = false;

  MagicScanner scanner_;
  std::vector<Magic> found_;
  std::deque<Candidate> candidates_;  // from the walk's position on
  size_t unjobbed_ = 0;  // candidates_[unjobbed_..] were not considered yet
  uint64_t scan_header_ = 0;  // where the scan expects the next header
  int scan_level_ = 9;
  std::deque<std::shared_ptr<BlockJob>> jobs_;  // in order of start

  Mode mode_ = Mode::kHeader;
  uint64_t pos_ = 0;
  int level_ = 9;
  uint32_t combined_crc_ = 0;
  std::unique_ptr<DecompressStream> sequential_;
  uint64_t fed_ = 0;
  bool can_resync_ = false;        // it started at a magic, not at a header
  uint64_t sequential_start_ = 0;  // the bit of that magic

  std::shared_ptr<BlockJob> delivering_;  // its output goes out first
  size_t delivered_ = 0;                  // of it
  uint64_t output_total_ = 0;

  int failure_ = 0;
  bool ended_ = false;
  bool wants_input_ = true;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_PARALLEL_DECODER_H_
