// Coded JS errors: every error the addon throws carries a string `code`, as
// API.md requires.
#ifndef BZ2_NAPI_ERRORS_H_
#define BZ2_NAPI_ERRORS_H_

#include <napi.h>

#include <string>

namespace bz2napi {

enum class ErrorClass { kError, kTypeError, kRangeError };

// A new Error / TypeError / RangeError with `code` set.
Napi::Error MakeError(Napi::Env env,
                      ErrorClass cls,
                      const char* code,
                      const std::string& message);

// ERR_BUFFER_TOO_LARGE: output past the largest Buffer this runtime can make.
Napi::Error TooLargeError(Napi::Env env, size_t limit);

// ERR_CONSTRUCT_CALL_REQUIRED: a class called without `new` (Node's code).
Napi::Error ConstructCallError(Napi::Env env, const char* class_name);

// ERR_BZ2_BUSY: a call while an asynchronous step of the same object runs.
Napi::Error BusyError(Napi::Env env);

// The coded error for a negative libbzip2 return code (modelled on CPython's
// catch_bz2_error).
Napi::Error BzError(Napi::Env env, int bzret);

}  // namespace bz2napi

#endif  // BZ2_NAPI_ERRORS_H_
