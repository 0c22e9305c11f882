#include "util/json_text.h"

#include <string_view>

#include "util/atomic_file.h"
#include "util/error.h"

namespace beamscope {

std::string json_value_for_message(const nlohmann::json& value) {
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  if (value.is_binary()) return "binary data";
  if (value.is_string()) {
    constexpr std::size_t kMaxBytes = 60;
    const auto& text = value.get_ref<const std::string&>();
    const bool cut = text.size() > kMaxBytes;
    // replace: a cut may split a UTF-8 character; show U+FFFD, do not throw.
    return nlohmann::json(text.substr(0, kMaxBytes))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
           (cut ? "..." : "");
  }
  return value.dump();  // a scalar: no recursion
}

std::string json_parse_error_text(const nlohmann::json::exception& error) {
  std::string_view text = error.what();
  // "[json.exception.parse_error.101] parse error at line 1, column 14: ..."
  if (text.starts_with("[json.exception.")) {
    if (const auto close = text.find("] "); close != std::string_view::npos) {
      text.remove_prefix(close + 2);
    }
  }
  for (const std::string_view prefix : {"parse error at ", "parse error: "}) {
    if (text.starts_with(prefix)) text.remove_prefix(prefix.size());
  }
  std::string out(text);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  return out;
}

nlohmann::json parse_json_text(std::string_view text, const std::string& what) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    throw Error(what + " is not valid JSON (" + json_parse_error_text(e) + ").");
  }
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
  return parse_json_text(read_file(path), path.string());
}

}  // namespace beamscope
