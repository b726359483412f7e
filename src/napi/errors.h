// Coded JS errors: every error the addon throws carries a string `code`, as
// API.md requires. The texts users read for the rules of Python's API (a
// flushed compressor, the end of a stream, a busy object) belong to the TS
// layer, which checks its own state before it calls in; the native checks
// below are the binding defending itself when called directly, and say so in
// their own words.
#ifndef BZ2_NAPI_NAPI_ERRORS_H_
#define BZ2_NAPI_NAPI_ERRORS_H_

#include <napi.h>

#include <string>

namespace bz2napi {

enum class ErrorClass { kError, kTypeError, kRangeError };

// A new Error / TypeError / RangeError with `code` set.
Napi::Error MakeError(Napi::Env env,
                      ErrorClass cls,
                      const char* code,
                      const std::string& message);

// The one mapping from a status (a negative libbzip2 code, or one of
// bzip2/status_codes.h) to a coded error, modelled on CPython's
// catch_bz2_error.
Napi::Error StatusError(Napi::Env env, int status);

// ERR_CONSTRUCT_CALL_REQUIRED: a class called without `new` (Node's code).
Napi::Error ConstructCallError(Napi::Env env, const char* class_name);

// ERR_BZ2_BUSY: a call while an asynchronous call on the same object runs.
Napi::Error BusyError(Napi::Env env);

// `code` (ERR_BZ2_FLUSHED, ERR_BZ2_EOF): a call after the native stream
// ended.
Napi::Error EndedError(Napi::Env env, const char* code);

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_ERRORS_H_
