#include "compressor.h"

#include "args.h"
#include "errors.h"
#include "guarded_method.h"
#include "js_buffer.h"

namespace bz2napi {

Napi::Function Compressor::Define(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, kClassName, {});
  ctor.Get("prototype")
      .As<Napi::Object>()
      .DefineProperties({
          GuardedMethod<Compressor, &Compressor::Compress>(env, "compress"),
          GuardedMethod<Compressor, &Compressor::Flush>(env, "flush"),
      });
  return ctor;
}

Compressor::Compressor(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<Compressor>(info) {
  Napi::Env env = info.Env();
  const int level =
      static_cast<int>(RequireInteger(info, 0, "compresslevel", 1, 9));
  const int ret = stream_.Init(level);
  if (ret != BZ_OK)
    throw BzError(env, ret);
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  // libbzip2 allocates all of a compressor's memory here, so this one figure
  // stays right until the stream ends.
  reported_bytes_ = stream_.allocated_bytes();
  Napi::MemoryManagement::AdjustExternalMemory(env, reported_bytes_);
}

void Compressor::Finalize(Napi::BasicEnv env) {
  Release(env);
}

void Compressor::Release(Napi::BasicEnv env) {
  stream_.End();
  if (reported_bytes_ != 0) {
    Napi::MemoryManagement::AdjustExternalMemory(env, -reported_bytes_);
    reported_bytes_ = 0;
  }
}

void Compressor::ThrowIfFlushed(Napi::Env env) const {
  if (!stream_.active()) {
    throw MakeError(env, ErrorClass::kError, "ERR_BZ2_FLUSHED",
                    "Compressor has been flushed");
  }
}

Napi::Value Compressor::Compress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfFlushed(env);
  const ByteView input = RequireBytes(info, 0, "data");
  OutputBuffer out;
  const int ret = stream_.Compress(input.data, input.length, &out);
  if (ret < 0)
    throw BzError(env, ret);
  return ToJsBuffer(env, &out);
}

Napi::Value Compressor::Flush(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!stream_.active()) {
    throw MakeError(env, ErrorClass::kError, "ERR_BZ2_FLUSHED",
                    "Repeated call to flush()");
  }
  OutputBuffer out;
  const int ret = stream_.Finish(&out);
  // Flushed even if finishing failed (as in CPython): the stream cannot be
  // resumed.
  Release(env);
  if (ret != BZ_STREAM_END)
    throw BzError(env, ret);
  return ToJsBuffer(env, &out);
}

}  // namespace bz2napi
