#include "errors.h"

#include "bzlib.h"
#include "stream_codes.h"

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

Napi::Error TooLargeError(Napi::Env env, size_t limit) {
  return MakeError(
      env, ErrorClass::kRangeError, "ERR_BUFFER_TOO_LARGE",
      "Cannot create a Buffer larger than " + std::to_string(limit) + " bytes");
}

Napi::Error ConstructCallError(Napi::Env env, const char* class_name) {
  return MakeError(env, ErrorClass::kTypeError, "ERR_CONSTRUCT_CALL_REQUIRED",
                   std::string("Class constructor ") + class_name +
                       " cannot be invoked without 'new'");
}

Napi::Error BusyError(Napi::Env env) {
  return MakeError(env, ErrorClass::kError, "ERR_BZ2_BUSY",
                   "Another operation on this object is still in progress");
}

Napi::Error BzError(Napi::Env env, int bzret) {
  switch (bzret) {
    case BZ_MEM_ERROR:
      return MakeError(env, ErrorClass::kError, "ERR_BZ2_MEMORY",
                       "Insufficient memory for libbzip2");
    case BZ_DATA_ERROR:
    case BZ_DATA_ERROR_MAGIC:
      return MakeError(env, ErrorClass::kError, "ERR_BZ2_DATA",
                       "Invalid data stream");
    case BZ_PARAM_ERROR:
      return MakeError(
          env, ErrorClass::kError, "ERR_BZ2_INTERNAL",
          "Internal error - invalid parameters passed to libbzip2");
    case BZ_SEQUENCE_ERROR:
      return MakeError(
          env, ErrorClass::kError, "ERR_BZ2_INTERNAL",
          "Internal error - invalid sequence of commands sent to libbzip2");
    case BZ_CONFIG_ERROR:
      return MakeError(env, ErrorClass::kError, "ERR_BZ2_INTERNAL",
                       "libbzip2 was not compiled correctly");
    default:
      return MakeError(
          env, ErrorClass::kError, "ERR_BZ2_INTERNAL",
          "Unrecognised libbzip2 error code " + std::to_string(bzret));
  }
}

}  // namespace bz2napi
