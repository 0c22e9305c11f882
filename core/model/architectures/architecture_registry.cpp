#include <algorithm>
#include <string>

#include "model/architectures/architecture.h"

namespace beamscope {

namespace {

constexpr Architecture kArchitectures[] = {
    {"gemma2", read_gemma_config, build_llama_layout_model},
    {"gemma3_text", read_gemma_config, build_llama_layout_model},
    {"gpt2", read_gpt2_architecture_config, load_gpt2_architecture},
    {"gpt_neox", read_gpt_neox_config, load_gpt_neox},
    {"llama", read_llama_family_config, build_llama_layout_model},
    {"mistral", read_llama_family_config, build_llama_layout_model},
    {"qwen2", read_llama_family_config, build_llama_layout_model},
    {"qwen3", read_llama_family_config, build_llama_layout_model},
};

// transformers' class names for configs that lack model_type.
struct ClassName {
  const char* name;
  const char* model_type;
};
constexpr ClassName kClassNames[] = {
    {"Gemma2ForCausalLM", "gemma2"}, {"Gemma3ForCausalLM", "gemma3_text"},
    {"GPT2LMHeadModel", "gpt2"},     {"GPTNeoXForCausalLM", "gpt_neox"},
    {"LlamaForCausalLM", "llama"},   {"MistralForCausalLM", "mistral"},
    {"Qwen2ForCausalLM", "qwen2"},   {"Qwen3ForCausalLM", "qwen3"},
};

const Architecture* by_model_type(const std::string& type) {
  for (const Architecture& a : kArchitectures) {
    if (type == a.model_type) return &a;
  }
  return nullptr;
}

}  // namespace

const Architecture* find_architecture(const nlohmann::json& config) {
  if (!config.is_object()) return nullptr;
  auto type = config.find("model_type");
  if (type != config.end() && type->is_string()) return by_model_type(type->get<std::string>());
  auto classes = config.find("architectures");
  if (classes == config.end() || !classes->is_array()) return nullptr;
  for (const auto& c : *classes) {
    if (!c.is_string()) continue;
    for (const ClassName& n : kClassNames) {
      if (c.get<std::string>() == n.name) return by_model_type(n.model_type);
    }
  }
  return nullptr;
}

std::string supported_architectures() {
  std::string list;
  for (const Architecture& a : kArchitectures) {
    if (!list.empty()) list += ", ";
    list += a.model_type;
  }
  return list;
}

}  // namespace beamscope
