// The native half of multi-threaded compression (compressSync, compress and
// createCompressStream with threads > 1): one BlockPipeline, with the same
// compress/flush/cancel shape as Compressor. Asynchronous calls settle when
// the pool's threads wake them through a thread-safe function: once the
// pipeline has room for more input (compressAsync) or has written the whole
// stream (flushAsync), so a caller that awaits each call keeps memory bounded.
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
  // cut from it is compressed; the rest of a block waits for later input.
  Napi::Value Compress(const Napi::CallbackInfo& info);
  // flush(): Buffer, the rest of the stream.
  Napi::Value Flush(const Napi::CallbackInfo& info);
  // compressAsync(data): Promise<Buffer>; data is copied before this returns.
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
  Napi::Value Await(const Napi::CallbackInfo& info,
                    BlockPipeline::Until until,
                    Step step);

  std::shared_ptr<BlockPipeline> pipeline_;
  size_t threads_ = 0;
  int failure_ = 0;  // the status of a failed pipeline, once let go
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_PARALLEL_COMPRESSOR_H_
