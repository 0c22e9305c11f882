#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace beamscope {

// Text for error messages about JSON input, safe on hostile values.

// A value as it may appear inside a message: numbers, booleans and null as
// JSON, strings quoted and cut to 60 bytes, arrays and objects only by kind
// ("an array"). Never recurses, so a value nested a million levels deep
// cannot overflow the stack (nlohmann's dump() would), and never throws on
// invalid UTF-8.
std::string json_value_for_message(const nlohmann::json& value);

// "line 1, column 14: syntax error while parsing ..." from a parse error,
// without nlohmann's "[json.exception.parse_error.101] parse error at" prefix.
// Takes any json::exception: parsing also throws out_of_range (a number such
// as 1e999 that overflows a double), which must be refused the same way.
std::string json_parse_error_text(const nlohmann::json::exception& error);

// Parses `text` or throws beamscope::Error "<what> is not valid JSON (line 1,
// column 14: ...)." The one place every reader of JSON input goes through, so
// every file gets the same sentence and a number such as 1e999 is refused too.
nlohmann::json parse_json_text(std::string_view text, const std::string& what);

// Reads and parses a whole JSON file (config.json, generation_config.json,
// sessions, ...); errors name the file.
nlohmann::json read_json_file(const std::filesystem::path& path);

}  // namespace beamscope
