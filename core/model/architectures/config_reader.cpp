#include "model/architectures/config_reader.h"

#include <cmath>

#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

ConfigReader::ConfigReader(const nlohmann::json& json, std::string file)
    : json_(json), file_(std::move(file)) {
  if (!json_.is_object()) fail("is not a JSON object");
}

void ConfigReader::fail(const std::string& what) const { throw Error(file_ + ": " + what + "."); }

const nlohmann::json* ConfigReader::find(const char* key) const {
  auto it = json_.find(key);
  return it == json_.end() || it->is_null() ? nullptr : &*it;
}

bool ConfigReader::has(const char* key) const { return find(key) != nullptr; }

bool ConfigReader::is_null(const char* key) const {
  auto it = json_.find(key);
  return it != json_.end() && it->is_null();
}

std::optional<int> ConfigReader::optional_count(const char* key) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    fail("\"" + std::string(key) + "\" must be an integer, got " + json_value_for_message(*v));
  }
  const auto value = v->get<long long>();
  if (value < 0 || value > (1LL << 30)) {
    fail("\"" + std::string(key) + "\" = " + std::to_string(value) + " is out of range");
  }
  return static_cast<int>(value);
}

int ConfigReader::count(const char* key) const {
  const std::optional<int> v = optional_count(key);
  if (!v) fail("\"" + std::string(key) + "\" is missing");
  if (*v == 0) fail("\"" + std::string(key) + "\" = 0 is out of range");
  return *v;
}

int ConfigReader::layer_count(const char* key, std::optional<int> fallback) const {
  const int layers = fallback ? count(key, *fallback) : count(key);
  if (layers > kMaxTransformerLayers) {
    fail("\"" + std::string(key) + "\" = " + std::to_string(layers) + " is more than " +
         std::to_string(kMaxTransformerLayers) + " layers");
  }
  return layers;
}

int ConfigReader::count(const char* key, int fallback) const {
  return has(key) ? count(key) : fallback;
}

std::optional<float> ConfigReader::optional_number(const char* key) const {
  const nlohmann::json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) fail("\"" + std::string(key) + "\" must be a number");
  const double d = v->get<double>();
  if (!std::isfinite(d) || std::fabs(d) > 1e30) {
    fail("\"" + std::string(key) + "\" must be a finite number");
  }
  return static_cast<float>(d);
}

float ConfigReader::number(const char* key, float fallback) const {
  return optional_number(key).value_or(fallback);
}

float ConfigReader::epsilon(const char* key, float fallback) const {
  const float v = number(key, fallback);
  if (!(v > 0.0f && v < 1.0f)) fail("\"" + std::string(key) + "\" must be in (0, 1)");
  return v;
}

int ConfigReader::window(const char* key, int fallback) const {
  if (is_null(key)) return 0;
  if (!has(key)) return fallback;
  return count(key);  // 0 is refused: a window of no positions
}

bool ConfigReader::flag(const char* key, bool fallback) const {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) fail("\"" + std::string(key) + "\" must be true or false");
  return v->get<bool>();
}

std::string ConfigReader::text(const char* key, const std::string& fallback) const {
  const nlohmann::json* v = find(key);
  if (!v) return fallback;
  if (!v->is_string()) fail("\"" + std::string(key) + "\" must be a string");
  return v->get<std::string>();
}

Activation read_activation(const ConfigReader& config, const char* key, const char* fallback) {
  const std::string name = config.text(key, fallback);
  if (name == "silu" || name == "swish") return Activation::kSilu;
  if (name == "gelu") return Activation::kGeluErf;
  if (name == "gelu_new" || name == "gelu_pytorch_tanh" || name == "gelu_fast") {
    return Activation::kGeluTanh;
  }
  config.fail(std::string(key) + " '" + name +
              "' is not supported (supported: silu, gelu, gelu_new, gelu_pytorch_tanh)");
}

RopeSpec read_rope_scaling(const ConfigReader& config, RopeSpec base) {
  const nlohmann::json* scaling = config.find("rope_scaling");
  if (!scaling) return base;
  if (!scaling->is_object()) config.fail("\"rope_scaling\" must be an object or null");
  const ConfigReader r(*scaling, config.file() + " (rope_scaling)");
  // Newer configs say "rope_type", older ones "type".
  const std::string type = r.text("rope_type", r.text("type", "default"));
  if (type == "default") return base;
  if (type == "linear") {
    base.scaling = RopeSpec::Scaling::kLinear;
    base.factor = r.number("factor", 1.0f);
  } else if (type == "llama3") {
    base.scaling = RopeSpec::Scaling::kLlama3;
    base.factor = r.number("factor", 8.0f);
    base.low_freq_factor = r.number("low_freq_factor", 1.0f);
    base.high_freq_factor = r.number("high_freq_factor", 4.0f);
    base.original_max_positions = r.count("original_max_position_embeddings", 8192);
  } else {
    config.fail("rope_scaling type '" + type +
                "' is not supported (supported: default, linear, llama3)");
  }
  if (!(base.factor >= 1.0f)) config.fail("rope_scaling factor must be at least 1");
  return base;
}

}  // namespace beamscope
