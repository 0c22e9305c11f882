#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace beamscope {

// Typed, checked access to one JSON object of a tree file. Every failure is
// a beamscope::Error "<source> is not a valid Beamscope tree: <where> has
// ...", so the sentence names the file and the place. A missing or null key
// gives the fallback.
class JsonObjectReader {
 public:
  // Fails unless `object` is a JSON object. `where` names it ("node 3").
  JsonObjectReader(const nlohmann::json& object, std::string_view source, std::string where);

  [[noreturn]] void fail(const std::string& what) const;
  const std::string& where() const { return where_; }
  std::string_view source() const { return source_; }
  // A reader for the object under `key` (which must exist), named `where`.
  JsonObjectReader object(const char* key, std::string where) const;

  bool has(const char* key) const;
  const nlohmann::json& at(const char* key) const;

  long long integer(const char* key, long long fallback, long long lo, long long hi) const;
  int int32(const char* key, int fallback) const;
  std::uint64_t uint64(const char* key, std::uint64_t fallback) const;
  double number(const char* key, double fallback) const;  // also "inf", "-inf", "nan"
  bool boolean(const char* key, bool fallback) const;
  std::string string(const char* key, std::string fallback) const;
  std::string bytes(const char* key) const;  // what put_bytes wrote
  std::vector<std::int32_t> ids(const char* key) const;
  std::vector<float> floats(const char* key) const;
  std::vector<std::string> strings(const char* key) const;
  const nlohmann::json& array(const char* key) const;  // must exist

 private:
  const nlohmann::json& j_;
  std::string_view source_;
  std::string where_;
};

}  // namespace beamscope
