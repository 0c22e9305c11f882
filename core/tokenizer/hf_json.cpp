#include "tokenizer/hf_json.h"

#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

std::string type_of(const json& part, const std::string& where) {
  // Sequences nest; a hostile file could nest them until the stack overflows.
  if (where.size() > 1000) throw Error(where.substr(0, 100) + "... is nested too deeply.");
  if (!part.is_object()) throw Error(where + " must be an object.");
  auto type = part.find("type");
  if (type == part.end() || !type->is_string()) {
    throw Error(where + " has no \"type\" string.");
  }
  return type->get<std::string>();
}

void unsupported_type(const std::string& where, const std::string& type) {
  throw Error(where + ".type " + json_value_for_message(json(type)) + " is not supported.");
}

const json& member(const json& part, const char* name, const std::string& where) {
  auto it = part.find(name);
  if (it == part.end() || it->is_null()) throw Error(where + " has no \"" + name + "\".");
  return *it;
}

bool bool_member(const json& part, const char* name, bool fallback, const std::string& where) {
  auto it = part.find(name);
  if (it == part.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw Error(where + "." + name + " must be true or false.");
  return it->get<bool>();
}

std::optional<std::string> string_member(const json& part, const char* name,
                                         const std::string& where) {
  auto it = part.find(name);
  if (it == part.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw Error(where + "." + name + " must be a string.");
  return it->get<std::string>();
}

std::string required_string(const json& part, const char* name, const std::string& where) {
  auto value = string_member(part, name, where);
  if (!value) throw Error(where + " has no \"" + name + "\" string.");
  return *value;
}

std::int64_t int_member(const json& part, const char* name, std::int64_t fallback, std::int64_t min,
                        std::int64_t max, const std::string& where) {
  auto it = part.find(name);
  if (it == part.end() || it->is_null()) return fallback;
  const bool fits = it->is_number_integer() &&
                    !(it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(max));
  if (!fits || it->get<std::int64_t>() < min || it->get<std::int64_t>() > max) {
    throw Error(where + "." + name + " must be an integer from " + std::to_string(min) + " to " +
                std::to_string(max) + ", not " + json_value_for_message(*it) + ".");
  }
  return it->get<std::int64_t>();
}

const json& array_member(const json& part, const char* name, const std::string& where) {
  const json& list = member(part, name, where);
  if (!list.is_array()) throw Error(where + "." + name + " must be an array.");
  return list;
}

std::int32_t token_id_value(const json& value, const std::string& where) {
  const bool fits =
      value.is_number_integer() &&
      !(value.is_number_unsigned() && value.get<std::uint64_t>() > std::uint64_t(kMaxTokenId));
  if (!fits || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > kMaxTokenId) {
    throw Error(where + " must be a token id from 0 to " + std::to_string(kMaxTokenId) + ", not " +
                json_value_for_message(value) + ".");
  }
  return static_cast<std::int32_t>(value.get<std::int64_t>());
}

}  // namespace beamscope::hf
