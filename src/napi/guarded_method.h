// Prototype methods that check their receiver before touching it. ObjectWrap's
// own InstanceMethod unwraps `this` blindly, so
// `Compressor.prototype.compress.call(otherWrappedObject)` would run a member
// function on an object of another class; a type tag per class rules that out.
#ifndef BZ2_NAPI_NAPI_GUARDED_METHOD_H_
#define BZ2_NAPI_NAPI_GUARDED_METHOD_H_

#include <napi.h>

#include <new>

#include "bzlib.h"

#include "napi/errors.h"

namespace bz2napi {

template <typename T, Napi::Value (T::*Method)(const Napi::CallbackInfo&)>
Napi::Value GuardedCall(const Napi::CallbackInfo& info) {
  Napi::Value self = info.This();
  if (!self.IsObject() || !self.As<Napi::Object>().CheckTypeTag(&T::kTypeTag)) {
    throw MakeError(
        info.Env(), ErrorClass::kTypeError, "ERR_INVALID_THIS",
        std::string("Value of \"this\" must be of type ") + T::kClassName);
  }
  T* instance = T::Unwrap(self.As<Napi::Object>());
  if (instance == nullptr) {
    throw MakeError(info.Env(), ErrorClass::kError, "ERR_BZ2_INTERNAL",
                    "Internal error - tagged object has no native state");
  }
  try {
    return (instance->*Method)(info);
  } catch (const std::bad_alloc&) {
    // Out of memory anywhere in a method (a vector, a job, a worker): a coded
    // error, never std::terminate.
    throw StatusError(info.Env(), BZ_MEM_ERROR);
  }
}

// A descriptor for a guarded method, to define on a class's prototype after
// DefineClass (DefineClass itself only accepts member-function pointers or
// primitive values).
template <typename T, Napi::Value (T::*Method)(const Napi::CallbackInfo&)>
Napi::PropertyDescriptor GuardedMethod(Napi::Env env, const char* name) {
  return Napi::PropertyDescriptor::Value(
      name, Napi::Function::New<GuardedCall<T, Method>>(env, name),
      napi_default_method);
}

// A read-only prototype accessor whose getter is guarded the same way.
template <typename T, Napi::Value (T::*Method)(const Napi::CallbackInfo&)>
Napi::PropertyDescriptor GuardedGetter(const char* name) {
  return Napi::PropertyDescriptor::Accessor<GuardedCall<T, Method>>(
      name, napi_configurable);
}

}  // namespace bz2napi

#endif  // BZ2_NAPI_NAPI_GUARDED_METHOD_H_
