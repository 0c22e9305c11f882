#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace beamscope {

// The hyper-parameters of a GPT-2 model (Hugging Face config.json names).
struct Gpt2Config {
  enum class Activation {
    GeluTanh,  // "gelu_new" / "gelu_pytorch_tanh": 0.5x(1+tanh(sqrt(2/pi)(x+0.044715x^3)))
    GeluErf,   // "gelu": 0.5x(1+erf(x/sqrt(2)))
  };

  int n_embd = 0;       // C, width of the residual stream
  int n_head = 0;       // H, attention heads (C % H == 0)
  int n_layer = 0;      // L, transformer blocks
  int n_positions = 0;  // P, context length (learned position embeddings)
  int vocab_size = 0;   // V
  int n_inner = 0;      // MLP width (config "n_inner"; null means 4C)
  float layer_norm_epsilon = 1e-5f;
  Activation activation = Activation::GeluTanh;

  int head_dim() const { return n_embd / n_head; }
  // Number of float parameters, counting a tied head once and an untied one.
  std::size_t parameter_count(bool tied_head) const;
};

// Reads and checks a config.json: required keys present with sane positive
// values, n_embd divisible by n_head, a supported activation and no options
// this implementation would silently get wrong. `file` names the source in
// error messages.
Gpt2Config parse_gpt2_config(const nlohmann::json& json, std::string_view file);

// Throws beamscope::Error if a config (parsed or built in code) is unusable.
void validate_gpt2_config(const Gpt2Config& config, std::string_view file);

}  // namespace beamscope
