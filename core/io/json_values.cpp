#include "io/json_values.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace beamscope {

nlohmann::json number_to_json(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

bool number_from_json(const nlohmann::json& json, double& out) {
  if (json.is_number()) {
    out = json.get<double>();
    return true;
  }
  if (!json.is_string()) return false;
  const std::string& s = json.get_ref<const std::string&>();
  if (s == "nan") {
    out = std::numeric_limits<double>::quiet_NaN();
  } else if (s == "inf") {
    out = std::numeric_limits<double>::infinity();
  } else if (s == "-inf") {
    out = -std::numeric_limits<double>::infinity();
  } else {
    return false;
  }
  return true;
}

namespace {

// Length of the valid UTF-8 sequence starting at bytes[i], or 0.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  const unsigned char c = b(i);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > bytes.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

constexpr char kHex[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = utf8_sequence_length(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string escape_invalid_utf8(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = utf8_sequence_length(bytes, i);
    if (n > 0) {
      out.append(bytes.substr(i, n));
      i += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(bytes[i++]);
    constexpr char kUpperHex[] = "0123456789ABCDEF";
    out += "<0x";
    out += kUpperHex[c >> 4];
    out += kUpperHex[c & 15];
    out += ">";
  }
  return out;
}

void put_bytes(nlohmann::json& object, const std::string& key, std::string_view bytes) {
  if (is_valid_utf8(bytes)) {
    object[key] = std::string(bytes);
    return;
  }
  object[key] = escape_invalid_utf8(bytes);
  std::string hex;
  for (unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  object[key + "_hex"] = hex;
}

bool get_bytes(const nlohmann::json& object, const std::string& key, std::string& out) {
  if (auto it = object.find(key + "_hex"); it != object.end()) {
    if (!it->is_string()) return false;
    const std::string& hex = it->get_ref<const std::string&>();
    if (hex.size() % 2 != 0) return false;
    out.clear();
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      const int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
    }
    return true;
  }
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

}  // namespace beamscope
