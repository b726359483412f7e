#include "decompressor.h"

#include <limits>

#include "args.h"
#include "errors.h"
#include "guarded_method.h"
#include "js_buffer.h"

namespace bz2napi {

namespace {

// maxLength is a JS number: any safe integer, -1 meaning no limit.
constexpr int64_t kMaxSafeInteger = (int64_t{1} << 53) - 1;

}  // namespace

Napi::Function Decompressor::Define(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, kClassName, {});
  ctor.Get("prototype")
      .As<Napi::Object>()
      .DefineProperties({
          GuardedMethod<Decompressor, &Decompressor::Decompress>(env,
                                                                 "decompress"),
          GuardedGetter<Decompressor, &Decompressor::Eof>("eof"),
          GuardedGetter<Decompressor, &Decompressor::NeedsInput>("needsInput"),
          GuardedGetter<Decompressor, &Decompressor::UnusedData>("unusedData"),
      });
  return ctor;
}

Decompressor::Decompressor(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<Decompressor>(info) {
  const int ret = stream_.Init();
  if (ret != BZ_OK)
    throw BzError(info.Env(), ret);
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  ReportMemory(info.Env());
}

void Decompressor::Finalize(Napi::BasicEnv env) {
  Release(env);
}

void Decompressor::ReportMemory(Napi::BasicEnv env) {
  const int64_t now = stream_.active() ? stream_.allocated_bytes() : 0;
  if (now != reported_bytes_) {
    Napi::MemoryManagement::AdjustExternalMemory(env, now - reported_bytes_);
    reported_bytes_ = now;
  }
}

void Decompressor::Release(Napi::BasicEnv env) {
  stream_.End();
  ReportMemory(env);
}

Napi::Value Decompressor::Decompress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (failed_)
    throw BzError(env, BZ_DATA_ERROR);
  if (eof_) {
    throw MakeError(env, ErrorClass::kError, "ERR_BZ2_EOF",
                    "End of stream already reached");
  }
  const ByteView input = RequireBytes(info, 0, "data");
  const int64_t max_length =
      RequireInteger(info, 1, "maxLength", -1, kMaxSafeInteger);
  const size_t limit = max_length < 0 ? std::numeric_limits<size_t>::max()
                                      : static_cast<size_t>(max_length);

  // Read the caller's bytes in place unless earlier input is still waiting.
  const uint8_t* in = input.data;
  size_t len = input.length;
  if (!pending_.empty()) {
    if (input.length > 0) {
      pending_.insert(pending_.end(), input.data, input.data + input.length);
    }
    in = pending_.data();
    len = pending_.size();
  }

  OutputBuffer out;
  size_t consumed = 0;
  const int ret = stream_.Run(in, len, &consumed, &out, limit);
  if (ret < 0) {
    failed_ = true;
    pending_.clear();
    Release(env);
    throw BzError(env, ret);
  }

  if (ret == BZ_STREAM_END) {
    eof_ = true;
    needs_input_ = false;
    unused_.assign(in + consumed, in + len);
    pending_.clear();
    Release(env);
  } else if (consumed == len) {
    pending_.clear();
    // Output that stopped exactly at the limit may have more behind it.
    needs_input_ = out.size() < limit;
  } else {
    if (in == pending_.data()) {
      pending_.erase(pending_.begin(),
                     pending_.begin() + static_cast<ptrdiff_t>(consumed));
    } else {
      pending_.assign(in + consumed, in + len);
    }
    needs_input_ = false;
  }
  ReportMemory(env);
  return ToJsBuffer(env, &out);
}

Napi::Value Decompressor::Eof(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), eof_);
}

Napi::Value Decompressor::NeedsInput(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), needs_input_);
}

Napi::Value Decompressor::UnusedData(const Napi::CallbackInfo& info) {
  return Napi::Buffer<uint8_t>::Copy(info.Env(), unused_.data(),
                                     unused_.size());
}

}  // namespace bz2napi
