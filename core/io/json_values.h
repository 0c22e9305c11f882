#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace beamscope {

// JSON has no -inf, +inf or NaN: such doubles are written as the strings
// "-inf", "inf" and "nan" and read back exactly. Finite doubles are written as
// numbers (nlohmann's shortest round-trip form, so they read back bit-exact).
nlohmann::json number_to_json(double value);
// Reads a number or one of those strings; returns false for anything else.
bool number_from_json(const nlohmann::json& json, double& out);

// Token text is raw bytes and may be invalid UTF-8 (a token that splits a
// character). JSON strings must be UTF-8, so such text is stored as a
// readable escaped form under `key` and the exact bytes as hex under
// `key + "_hex"`, which readers prefer.
void put_bytes(nlohmann::json& object, const std::string& key, std::string_view bytes);
// Reads what put_bytes wrote (or a plain string); false if ill-typed.
bool get_bytes(const nlohmann::json& object, const std::string& key, std::string& out);

bool is_valid_utf8(std::string_view bytes);
// Valid UTF-8 sequences kept; every other byte as <0xAB>.
std::string escape_invalid_utf8(std::string_view bytes);

}  // namespace beamscope
