#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace beamscope::hf {

// Small readers for the parts of a Hugging Face tokenizer.json. `where` names
// the file and the part ("tokenizer.json: pre_tokenizer.pretokenizers[1]"),
// so every error is one sentence that says where the problem is.
using nlohmann::json;

// The part's "type" string; errors when the part is not an object with one.
std::string type_of(const json& part, const std::string& where);

// "<where>.type "Foo" is not supported." — for a type no reader knows.
[[noreturn]] void unsupported_type(const std::string& where, const std::string& type);

// A required member of an object.
const json& member(const json& part, const char* name, const std::string& where);

// Optional members; absent or null take the fallback.
bool bool_member(const json& part, const char* name, bool fallback, const std::string& where);
std::optional<std::string> string_member(const json& part, const char* name,
                                         const std::string& where);
std::string required_string(const json& part, const char* name, const std::string& where);
std::int64_t int_member(const json& part, const char* name, std::int64_t fallback, std::int64_t min,
                        std::int64_t max, const std::string& where);

// An array member (required), for "Sequence" parts.
const json& array_member(const json& part, const char* name, const std::string& where);

// Ids are array indices, so they are bounded: 16M is ~60x the largest real
// vocabularies.
inline constexpr std::int64_t kMaxTokenId = (std::int64_t(1) << 24) - 1;

// A token id from JSON, range-checked against the id space every tokenizer
// uses (ids are array indices).
std::int32_t token_id_value(const json& value, const std::string& where);

// The same, with the place built only when the value is bad (vocabularies
// have hundreds of thousands of ids).
template <typename Where>
std::int32_t token_id_value_at(const json& value, Where&& where) {
  if (value.is_number_unsigned() && value.get<std::uint64_t>() <= std::uint64_t(kMaxTokenId)) {
    return static_cast<std::int32_t>(value.get<std::uint64_t>());
  }
  return token_id_value(value, where());
}

}  // namespace beamscope::hf
