#include "io/json_object_reader.h"

#include <limits>

#include "io/json_values.h"
#include "util/error.h"

namespace beamscope {

using nlohmann::json;

JsonObjectReader::JsonObjectReader(const json& object, std::string_view source, std::string where)
    : j_(object), source_(source), where_(std::move(where)) {
  if (!j_.is_object()) fail(where_ + " is not an object");
}

void JsonObjectReader::fail(const std::string& what) const {
  throw Error(std::string(source_) + " is not a valid Beamscope tree: " + what + ".");
}

JsonObjectReader JsonObjectReader::object(const char* key, std::string where) const {
  return JsonObjectReader(at(key), source_, std::move(where));
}

bool JsonObjectReader::has(const char* key) const {
  return j_.contains(key) && !j_.at(key).is_null();
}

const json& JsonObjectReader::at(const char* key) const {
  if (!j_.contains(key)) fail(where_ + " has no \"" + std::string(key) + "\"");
  return j_.at(key);
}

long long JsonObjectReader::integer(const char* key, long long fallback, long long lo,
                                    long long hi) const {
  if (!has(key)) return fallback;
  const json& v = j_.at(key);
  if (!v.is_number_integer()) fail(where_ + " has a non-integer \"" + std::string(key) + "\"");
  // An unsigned value above `hi` must not wrap into range through get<long long>.
  const long long x =
      v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(hi)
          ? hi + 1
          : v.get<long long>();
  if (x < lo || x > hi) fail(where_ + " has \"" + std::string(key) + "\" out of range");
  return x;
}

int JsonObjectReader::int32(const char* key, int fallback) const {
  return static_cast<int>(
      integer(key, fallback, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

std::uint64_t JsonObjectReader::uint64(const char* key, std::uint64_t fallback) const {
  if (!has(key)) return fallback;
  const json& v = j_.at(key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<long long>() >= 0)) {
    fail(where_ + " has an invalid \"" + std::string(key) + "\" (a non-negative integer)");
  }
  return v.get<std::uint64_t>();
}

double JsonObjectReader::number(const char* key, double fallback) const {
  if (!has(key)) return fallback;
  double out = 0;
  if (!number_from_json(j_.at(key), out))
    fail(where_ + " has an invalid number \"" + std::string(key) + "\"");
  return out;
}

bool JsonObjectReader::boolean(const char* key, bool fallback) const {
  if (!has(key)) return fallback;
  if (!j_.at(key).is_boolean()) fail(where_ + " has a non-boolean \"" + std::string(key) + "\"");
  return j_.at(key).get<bool>();
}

std::string JsonObjectReader::string(const char* key, std::string fallback) const {
  if (!has(key)) return fallback;
  if (!j_.at(key).is_string()) fail(where_ + " has a non-string \"" + std::string(key) + "\"");
  return j_.at(key).get<std::string>();
}

std::string JsonObjectReader::bytes(const char* key) const {
  if (!has(key)) return {};
  std::string out;
  if (!get_bytes(j_, key, out)) fail(where_ + " has an invalid text \"" + std::string(key) + "\"");
  return out;
}

std::vector<std::int32_t> JsonObjectReader::ids(const char* key) const {
  std::vector<std::int32_t> out;
  if (!has(key)) return out;
  for (const json& x : array(key)) {
    if (!x.is_number_integer() || x.get<long long>() < std::numeric_limits<std::int32_t>::min() ||
        x.get<long long>() > std::numeric_limits<std::int32_t>::max()) {
      fail(where_ + " has a non-integer entry in \"" + std::string(key) + "\"");
    }
    out.push_back(x.get<std::int32_t>());
  }
  return out;
}

std::vector<float> JsonObjectReader::floats(const char* key) const {
  std::vector<float> out;
  if (!has(key)) return out;
  for (const json& x : array(key)) {
    double v = 0;
    if (!number_from_json(x, v)) fail("a \"" + std::string(key) + "\" entry is not a number");
    out.push_back(static_cast<float>(v));
  }
  return out;
}

std::vector<std::string> JsonObjectReader::strings(const char* key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  for (const json& x : array(key)) {
    if (!x.is_string()) fail(where_ + " has a non-string entry in \"" + std::string(key) + "\"");
    out.push_back(x.get<std::string>());
  }
  return out;
}

const json& JsonObjectReader::array(const char* key) const {
  const json& v = at(key);
  if (!v.is_array()) fail(where_ + " has a non-array \"" + std::string(key) + "\"");
  return v;
}

}  // namespace beamscope
