// The native half of BZ2Compressor: owns one CompressStream, moves bytes,
// reports memory to V8. Defaults, validation, ordering of async calls and
// messages for users live in lib/compressor.ts.
#ifndef BZ2_NAPI_COMPRESSOR_H_
#define BZ2_NAPI_COMPRESSOR_H_

#include <napi.h>

#include <vector>

#include "compress_stream.h"
#include "errors.h"
#include "output_buffer.h"
#include "reclaimer.h"

namespace bz2napi {

// One compress or flush step: input (owned when the step runs off the main
// thread), output and libbzip2's return code.
struct CompressJob {
  std::vector<uint8_t> owned;
  const uint8_t* in = nullptr;
  size_t len = 0;
  bool finish = false;
  size_t limit = 0;  // the largest Buffer the runtime can make
  OutputBuffer out;
  int ret = 0;
};

class Compressor : public Napi::ObjectWrap<Compressor>, public Reclaimable {
 public:
  static constexpr napi_type_tag kTypeTag = {0x6b1f0e7c2a9d4c51ULL,
                                             0x9e3a5d27c04b8f16ULL};
  static constexpr const char* kClassName = "Compressor";

  static Napi::Function Define(Napi::Env env);

  // new Compressor(level: integer 1..9)
  explicit Compressor(const Napi::CallbackInfo& info);
  void Finalize(Napi::BasicEnv env) override;
  // Reclaimable: the wrapper was collected; free the memory before the
  // finalizer runs.
  bool Collected() override { return Value().IsEmpty(); }
  void Reclaim(Napi::Env env) override { Release(env); }
  // Replaces ObjectWrap's uncoded TypeError for a call without `new`.
  static Napi::Value OnCalledAsFunction(const Napi::CallbackInfo& info) {
    throw ConstructCallError(info.Env(), kClassName);
  }

  // compress(data: TypedArray | DataView): Buffer
  Napi::Value Compress(const Napi::CallbackInfo& info);
  // flush(): Buffer; frees libbzip2's state before returning.
  Napi::Value Flush(const Napi::CallbackInfo& info);
  // compressAsync(data): Promise<Buffer>; data is copied before this returns.
  Napi::Value CompressAsync(const Napi::CallbackInfo& info);
  // flushAsync(): Promise<Buffer>
  Napi::Value FlushAsync(const Napi::CallbackInfo& info);

  // For StepWorker.
  void set_busy(bool busy) { busy_ = busy; }
  void RunJob(CompressJob* job);
  Napi::Value FinishJob(Napi::Env env, CompressJob* job);

 private:
  // Checks that no async step is running and the stream is open; builds the
  // job.
  CompressJob Prepare(const Napi::CallbackInfo& info, bool finish, bool copy);
  // Ends the stream and takes its memory off V8's books.
  void Release(Napi::BasicEnv env);

  CompressStream stream_;
  int64_t reported_bytes_ = 0;
  bool busy_ = false;
};

}  // namespace bz2napi

#endif  // BZ2_NAPI_COMPRESSOR_H_
