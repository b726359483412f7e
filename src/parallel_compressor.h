// The native half of every compression in lib/ (BZ2Compressor, compressSync,
// compress and createCompressStream, with any number of threads, 1 included):
// one BlockPipeline, so every block goes through BlockEncoder and our codec.
// The name is older than the one-thread path; the class compresses block by
// block, in parallel when it has more than one thread.
//
// With one thread the synchronous calls compress on the calling thread (no
// pool thread is started for them); the asynchronous calls, and every call
// with more threads, compress on the addon's pool. Asynchronous calls settle
// when the pool's threads wake them through a thread-safe function: once the
// pipeline has room for more input (compressAsync) or has written the whole
// stream (flushAsync), so a caller that awaits each call keeps memory bounded.
//
// Memory told to V8: a bound on the input the pipeline holds, plus, while it
// exists, the calling thread's encoder (7.6 MB at level 9), which goes at the
// end of flush(), at cancel() and when the object is let go.
#ifndef BZ2_NAPI_PARALLEL_COMPRESSOR_H_
#define BZ2_NAPI_PARALLEL_COMPRESSOR_H_

#include <napi.h>

#include <memory>

#include "compressor.h"
#include "napi/wrapped.h"
#include "parallel/block_pipeline.h"

namespace bz2napi {

class ParallelCompressor : public Wrapped<ParallelCompressor> {
 public:
  static constexpr napi_type_tag kTypeTag = {0x3c8e51d2a7f04b69ULL,
                                             0xb2d94e0c61a7f385ULL};
  static constexpr const char* kClassName = "ParallelCompressor";

  static Napi::Function Define(Napi::Env env);

  // new ParallelCompressor(level: integer 1..9, threads: integer 1..1024)
  explicit ParallelCompressor(const Napi::CallbackInfo& info);
  void Finalize(Napi::BasicEnv env) override { Finalized(env); }

  // compress(data): Buffer. Reads data in place and returns once every block
  // cut from it is compressed (on this thread with one thread); the rest of a
  // block waits for later input.
  Napi::Value Compress(const Napi::CallbackInfo& info);
  // flush(): Buffer, the rest of the stream.
  Napi::Value Flush(const Napi::CallbackInfo& info);
  // compressAsync(data): Promise<Buffer>; data is copied before this returns.
  // The first asynchronous call of a one-thread compressor starts the pool's
  // thread (ERR_BZ2_MEMORY, input untouched, if none can start).
  Napi::Value CompressAsync(const Napi::CallbackInfo& info);
  // flushAsync(): Promise<Buffer>
  Napi::Value FlushAsync(const Napi::CallbackInfo& info);
  // cancel(): drops queued blocks; pending and later calls fail (ABORT_ERR).
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  // threads: the threads this compressor uses (the request, capped).
  Napi::Value Threads(const Napi::CallbackInfo& info);

 private:
  struct AsyncCall;
  static void OnReady(napi_env env, napi_value, void* context, void*);
  static void OnCallFinalize(napi_env, void* data, void*);

  // Checks that the object may take a call now; returns its pipeline.
  BlockPipeline& Check(Napi::Env env);
  // The output so far, or the pipeline's failure thrown. A finished or failed
  // pipeline is let go.
  Napi::Value Collect(Napi::Env env, Step step);
  // Lets the pipeline go and takes its memory off V8's books.
  void Release(Napi::BasicEnv env) override;
  // Starts up to `wanted` pool threads; returns how many this object uses.
  // Throws ERR_BZ2_MEMORY if none runs.
  size_t ReservePool(Napi::Env env, size_t wanted);
  // Tells V8 what the live pipeline holds now.
  void Report(Napi::BasicEnv env);
  // Where the synchronous calls compress.
  BlockPipeline::Where SyncWhere() const;
  Napi::Value Await(const Napi::CallbackInfo& info,
                    BlockPipeline::Until until,
                    Step step);

  std::shared_ptr<BlockPipeline> pipeline_;
  size_t threads_ = 0;
  bool pool_reserved_ = false;  // the pool runs threads for this object
  int64_t input_bound_ = 0;     // reported for the pipeline's input
  int failure_ = 0;             // the status of a failed pipeline, once let go
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_COMPRESSOR_H_
