#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/transformer_config.h"

namespace beamscope {

// Typed reads of a config.json with Hugging Face's defaults for absent (or
// null) keys. A key of the wrong type or out of range is an Error naming the
// file and the key.
class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& json, std::string file);

  const std::string& file() const { return file_; }
  bool has(const char* key) const;
  // Present with the value null.
  bool is_null(const char* key) const;
  // A positive integer (1 .. 2^30).
  int count(const char* key) const;
  int count(const char* key, int fallback) const;
  // num_hidden_layers: a count, at most kMaxTransformerLayers.
  int layer_count(const char* key, std::optional<int> fallback = std::nullopt) const;
  // An integer >= 0, or nullopt when absent or null.
  std::optional<int> optional_count(const char* key) const;
  // A finite number.
  float number(const char* key, float fallback) const;
  std::optional<float> optional_number(const char* key) const;
  bool flag(const char* key, bool fallback) const;
  // A number in (0, 1): a norm's epsilon.
  float epsilon(const char* key, float fallback) const;
  // A sliding window: absent = fallback, null = none (0), else >= 1.
  int window(const char* key, int fallback) const;
  std::string text(const char* key, const std::string& fallback) const;
  const nlohmann::json* find(const char* key) const;
  // Throws "<file>: <what>."
  [[noreturn]] void fail(const std::string& what) const;

 private:
  const nlohmann::json& json_;
  std::string file_;
};

// hidden_act / hidden_activation names -> Activation, others refused by name.
Activation read_activation(const ConfigReader& config, const char* key, const char* fallback);

// rope_scaling (null, or {"rope_type"|"type": "default"|"linear"|"llama3", ...})
// applied to `base`; any other type is refused by name.
RopeSpec read_rope_scaling(const ConfigReader& config, RopeSpec base);

}  // namespace beamscope
