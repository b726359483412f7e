// The native half of BZ2Compressor and of single-thread compression: one
// CompressStream, bytes in and out. Defaults, validation, the order of async
// calls and the messages users read live in lib/.
#ifndef BZ2_NAPI_COMPRESSOR_H_
#define BZ2_NAPI_COMPRESSOR_H_

#include <napi.h>

#include <vector>

#include "bzip2/compress_stream.h"
#include "bzip2/output_buffer.h"
#include "napi/async_step.h"
#include "napi/wrapped.h"

namespace bz2napi {

enum class Step { kCompress, kFlush };

// One compress or flush step: input, output and libbzip2's return code.
struct CompressJob {
  std::vector<uint8_t> owned;
  const uint8_t* in = nullptr;
  size_t len = 0;
  Step step = Step::kCompress;
  size_t limit = 0;  // the largest Buffer the runtime can make
  OutputBuffer out;
  int ret = 0;
};

class Compressor : public Wrapped<Compressor> {
 public:
  static constexpr napi_type_tag kTypeTag = {0x6b1f0e7c2a9d4c51ULL,
                                             0x9e3a5d27c04b8f16ULL};
  static constexpr const char* kClassName = "Compressor";

  static Napi::Function Define(Napi::Env env);

  // new Compressor(level: integer 1..9)
  explicit Compressor(const Napi::CallbackInfo& info);
  void Finalize(Napi::BasicEnv env) override { Finalized(env); }

  // compress(data: TypedArray | DataView): Buffer
  Napi::Value Compress(const Napi::CallbackInfo& info);
  // flush(): Buffer; frees libbzip2's state before returning.
  Napi::Value Flush(const Napi::CallbackInfo& info);
  // compressAsync(data): Promise<Buffer>; data is copied before this returns.
  Napi::Value CompressAsync(const Napi::CallbackInfo& info);
  // flushAsync(): Promise<Buffer>
  Napi::Value FlushAsync(const Napi::CallbackInfo& info);
  // cancel(): a pending step's result is dropped and it rejects (ABORT_ERR),
  // as do later calls; the stream's memory goes once no step uses it.
  Napi::Value Cancel(const Napi::CallbackInfo& info);

  // For AsyncStep.
  void RunJob(CompressJob* job);
  Napi::Value FinishJob(Napi::Env env, CompressJob* job);

 private:
  // Checks that the object may take a call now; builds the job.
  CompressJob Prepare(const Napi::CallbackInfo& info, Step step, InputUse use);
  // Ends the stream and takes its memory off V8's books.
  void Release(Napi::BasicEnv env) override;

  CompressStream stream_;
  int failure_ = 0;  // sticky: kCancelled, or the status of a failed step
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_COMPRESSOR_H_
