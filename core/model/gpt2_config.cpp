#include "model/gpt2_config.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace {

// Upper bounds far above any published GPT-2 (xl: 1600/25/48/1024/50257) but
// low enough that a corrupt config cannot ask for absurd allocations.
constexpr int kMaxEmbd = 16384;
constexpr int kMaxHeads = 512;
constexpr int kMaxLayers = 512;
constexpr int kMaxPositions = 1 << 17;
constexpr int kMaxVocab = 1 << 22;
constexpr int kMaxInner = 1 << 17;

int read_int(const nlohmann::json& json, std::string_view file, const char* key,
             const char* alternative_key = nullptr) {
  auto it = json.find(key);
  if (it == json.end() && alternative_key) it = json.find(alternative_key);
  if (it == json.end()) {
    throw Error(std::string(file) + ": \"" + key + "\" is missing.");
  }
  if (!it->is_number_integer()) {
    throw Error(std::string(file) + ": \"" + it.key() + "\" must be an integer, got " +
                json_value_for_message(*it) + ".");
  }
  const auto value = it->get<long long>();
  if (value <= 0 || value > (1LL << 30)) {
    throw Error(std::string(file) + ": \"" + it.key() + "\" = " + std::to_string(value) +
                " is out of range.");
  }
  return static_cast<int>(value);
}

void check_range(std::string_view file, const char* key, int value, int max) {
  if (value <= 0 || value > max) {
    throw Error(std::string(file) + ": \"" + key + "\" = " + std::to_string(value) +
                " is outside the supported range 1.." + std::to_string(max) + ".");
  }
}

// Options whose non-default value changes the math; we refuse rather than
// compute something else.
void reject_flag(const nlohmann::json& json, std::string_view file, const char* key,
                 bool default_value) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return;
  if (!it->is_boolean()) {
    throw Error(std::string(file) + ": \"" + key + "\" must be true or false.");
  }
  if (it->get<bool>() != default_value) {
    throw Error(std::string(file) + ": \"" + key + "\" = " + it->dump() +
                " is not supported by Beamscope's GPT-2 engine.");
  }
}

}  // namespace

std::size_t Gpt2Config::parameter_count(bool tied_head) const {
  const std::size_t C = n_embd, F = n_inner, V = vocab_size, P = n_positions;
  const std::size_t per_layer = 2 * C                // ln_1
                                + C * 3 * C + 3 * C  // c_attn
                                + C * C + C          // attn.c_proj
                                + 2 * C              // ln_2
                                + C * F + F          // mlp.c_fc
                                + F * C + C;         // mlp.c_proj
  return V * C + P * C + n_layer * per_layer + 2 * C + (tied_head ? 0 : V * C);
}

void validate_gpt2_config(const Gpt2Config& c, std::string_view file) {
  check_range(file, "n_embd", c.n_embd, kMaxEmbd);
  check_range(file, "n_head", c.n_head, kMaxHeads);
  check_range(file, "n_layer", c.n_layer, kMaxLayers);
  check_range(file, "n_positions", c.n_positions, kMaxPositions);
  check_range(file, "vocab_size", c.vocab_size, kMaxVocab);
  check_range(file, "n_inner", c.n_inner, kMaxInner);
  if (c.n_embd % c.n_head != 0) {
    throw Error(std::string(file) + ": n_embd " + std::to_string(c.n_embd) +
                " is not divisible by n_head " + std::to_string(c.n_head) + ".");
  }
  if (!(c.layer_norm_epsilon > 0.0f && c.layer_norm_epsilon < 1.0f)) {
    throw Error(std::string(file) + ": layer_norm_epsilon must be in (0, 1).");
  }
}

Gpt2Config parse_gpt2_config(const nlohmann::json& json, std::string_view file) {
  if (!json.is_object()) throw Error(std::string(file) + ": is not a JSON object.");
  Gpt2Config c;
  c.n_embd = read_int(json, file, "n_embd");
  c.n_head = read_int(json, file, "n_head");
  c.n_layer = read_int(json, file, "n_layer");
  c.n_positions = read_int(json, file, "n_positions", "n_ctx");
  c.vocab_size = read_int(json, file, "vocab_size");
  auto inner = json.find("n_inner");
  // 4C in 64 bits: n_embd is only range-checked below, and 4 * 2^30 would
  // overflow an int (found by fuzzing); an out-of-range C is reported first.
  c.n_inner = (inner == json.end() || inner->is_null())
                  ? static_cast<int>(std::min<long long>(4LL * c.n_embd, kMaxInner + 1LL))
                  : read_int(json, file, "n_inner");
  if (auto eps = json.find("layer_norm_epsilon"); eps != json.end()) {
    if (!eps->is_number()) {
      throw Error(std::string(file) + ": \"layer_norm_epsilon\" must be a number.");
    }
    c.layer_norm_epsilon = eps->get<float>();
  }
  std::string activation = "gelu_new";  // HF's default
  if (auto act = json.find("activation_function"); act != json.end()) {
    if (!act->is_string()) {
      throw Error(std::string(file) + ": \"activation_function\" must be a string.");
    }
    activation = act->get<std::string>();
  }
  if (activation == "gelu_new" || activation == "gelu_pytorch_tanh") {
    c.activation = Gpt2Config::Activation::GeluTanh;
  } else if (activation == "gelu") {
    c.activation = Gpt2Config::Activation::GeluErf;
  } else {
    throw Error(std::string(file) + ": activation_function '" + activation +
                "' is not supported (supported: gelu_new, gelu_pytorch_tanh, gelu).");
  }
  reject_flag(json, file, "scale_attn_weights", true);
  reject_flag(json, file, "scale_attn_by_inverse_layer_idx", false);
  reject_flag(json, file, "add_cross_attention", false);
  validate_gpt2_config(c, file);
  return c;
}

}  // namespace beamscope
