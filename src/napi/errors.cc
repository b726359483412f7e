#include "napi/errors.h"

#include "bzip2/status_codes.h"
#include "bzlib.h"
#include "napi/addon_data.h"

namespace bz2napi {

Napi::Error MakeError(Napi::Env env,
                      ErrorClass cls,
                      const char* code,
                      const std::string& message) {
  Napi::Error error;
  switch (cls) {
    case ErrorClass::kTypeError:
      error = Napi::TypeError::New(env, message);
      break;
    case ErrorClass::kRangeError:
      error = Napi::RangeError::New(env, message);
      break;
    case ErrorClass::kError:
      error = Napi::Error::New(env, message);
      break;
  }
  // An own data property: assignment could run a setter on Error.prototype or
  // fail silently on a read-only inherited `code`.
  error.Value().DefineProperty(Napi::PropertyDescriptor::Value(
      "code", Napi::String::New(env, code),
      static_cast<napi_property_attributes>(napi_writable |
                                            napi_configurable)));
  return error;
}

Napi::Error StatusError(Napi::Env env, int status) {
  constexpr auto kError = ErrorClass::kError;
  switch (status) {
    case BZ_MEM_ERROR:
      return MakeError(env, kError, "ERR_BZ2_MEMORY",
                       "Insufficient memory for libbzip2");
    case BZ_DATA_ERROR:
    case BZ_DATA_ERROR_MAGIC:
      return MakeError(env, kError, "ERR_BZ2_DATA", "Invalid data stream");
    case BZ_PARAM_ERROR:
      return MakeError(
          env, kError, "ERR_BZ2_INTERNAL",
          "Internal error - invalid parameters passed to libbzip2");
    case BZ_SEQUENCE_ERROR:
      return MakeError(
          env, kError, "ERR_BZ2_INTERNAL",
          "Internal error - invalid sequence of commands sent to libbzip2");
    case BZ_CONFIG_ERROR:
      return MakeError(env, kError, "ERR_BZ2_INTERNAL",
                       "libbzip2 was not compiled correctly");
    case kNoProgress:
      return MakeError(env, kError, "ERR_BZ2_INTERNAL",
                       "Internal error - libbzip2 made no progress");
    case kOutputLimit:
      return MakeError(env, ErrorClass::kRangeError, "ERR_BUFFER_TOO_LARGE",
                       "Cannot create a Buffer larger than " +
                           std::to_string(GetAddonData(env).max_buffer_length) +
                           " bytes");
    case kCancelled:
      return MakeError(env, kError, "ABORT_ERR", "The operation was aborted");
    default:
      return MakeError(
          env, kError, "ERR_BZ2_INTERNAL",
          "Unrecognised libbzip2 error code " + std::to_string(status));
  }
}

Napi::Error ConstructCallError(Napi::Env env, const char* class_name) {
  return MakeError(env, ErrorClass::kTypeError, "ERR_CONSTRUCT_CALL_REQUIRED",
                   std::string("Class constructor ") + class_name +
                       " cannot be invoked without 'new'");
}

Napi::Error BusyError(Napi::Env env) {
  return MakeError(env, ErrorClass::kError, "ERR_BZ2_BUSY",
                   "An asynchronous call on this native object is still "
                   "running");
}

Napi::Error EndedError(Napi::Env env, const char* code) {
  return MakeError(env, ErrorClass::kError, code,
                   "The native object's stream has ended");
}

}  // namespace bz2napi
