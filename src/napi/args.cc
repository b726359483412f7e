#include "napi/args.h"

#include <cmath>
#include <new>
#include <string>

#include "bzlib.h"
#include "napi/errors.h"

namespace bz2napi {

namespace {

size_t ElementSize(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array:
    case napi_uint8_array:
    case napi_uint8_clamped_array:
      return 1;
    case napi_int16_array:
    case napi_uint16_array:
      return 2;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array:
      return 4;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array:
      return 8;
  }
  return 1;
}

}  // namespace

ByteView RequireBytes(const Napi::CallbackInfo& info,
                      size_t index,
                      const char* name) {
  Napi::Value value = info[index];
  if (value.IsTypedArray()) {
    // napi_get_typedarray_info gives the data pointer with byteOffset applied.
    napi_typedarray_type type;
    size_t count = 0;
    void* data = nullptr;
    napi_value buffer;
    size_t offset = 0;
    napi_status status = napi_get_typedarray_info(
        info.Env(), value, &type, &count, &data, &buffer, &offset);
    NAPI_THROW_IF_FAILED(info.Env(), status, (ByteView{nullptr, 0}));
    const size_t length = count * ElementSize(type);
    if (length == 0 || data == nullptr)
      return {nullptr, 0};  // empty, detached
    return {static_cast<const uint8_t*>(data), length};
  }
  if (value.IsDataView()) {
    auto view = value.As<Napi::DataView>();
    const size_t length = view.ByteLength();
    if (length == 0 || view.Data() == nullptr)
      return {nullptr, 0};
    // DataView::Data() already points at byteOffset.
    return {static_cast<const uint8_t*>(view.Data()), length};
  }
  throw MakeError(info.Env(), ErrorClass::kTypeError, "ERR_INVALID_ARG_TYPE",
                  std::string("The \"") + name +
                      "\" argument must be an instance of TypedArray or "
                      "DataView");
}

void AppendBytes(Napi::Env env, std::vector<uint8_t>* to, ByteView bytes) {
  if (bytes.length == 0)
    return;
  try {
    to->insert(to->end(), bytes.data, bytes.data + bytes.length);
  } catch (const std::bad_alloc&) {
    throw StatusError(env, BZ_MEM_ERROR);
  }
}

int64_t RequireInteger(const Napi::CallbackInfo& info,
                       size_t index,
                       const char* name,
                       int64_t min,
                       int64_t max) {
  // Doubles hold every bound up to 2^53 exactly, so the comparisons below are
  // exact and the cast cannot overflow.
  if (min < -kMaxSafeInteger || max > kMaxSafeInteger || min > max) {
    throw MakeError(info.Env(), ErrorClass::kError, "ERR_BZ2_INTERNAL",
                    "Internal error - invalid integer bounds");
  }
  Napi::Value value = info[index];
  if (!value.IsNumber()) {
    throw MakeError(
        info.Env(), ErrorClass::kTypeError, "ERR_INVALID_ARG_TYPE",
        std::string("The \"") + name + "\" argument must be of type number");
  }
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= static_cast<double>(min) &&
        number <= static_cast<double>(max)) ||
      std::trunc(number) != number) {
    throw MakeError(info.Env(), ErrorClass::kRangeError, "ERR_OUT_OF_RANGE",
                    std::string("The value of \"") + name +
                        "\" is out of range. It must be an integer >= " +
                        std::to_string(min) + " and <= " + std::to_string(max));
  }
  return static_cast<int64_t>(number);
}

bool RequireBoolean(const Napi::CallbackInfo& info,
                    size_t index,
                    const char* name) {
  if (!info[index].IsBoolean()) {
    throw MakeError(
        info.Env(), ErrorClass::kTypeError, "ERR_INVALID_ARG_TYPE",
        std::string("The \"") + name + "\" argument must be of type boolean");
  }
  return info[index].As<Napi::Boolean>().Value();
}

}  // namespace bz2napi
