#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/language_model.h"
#include "model/transformer_config.h"
#include "util/progress.h"

namespace beamscope {

// What an architecture reads out of a Hugging Face folder: config.json
// (already parsed) and its weights.
struct ArchitectureInput {
  std::filesystem::path dir;
  const nlohmann::json& config;
  std::string config_file;
  ProgressFn progress;
};

struct ArchitectureOutput {
  std::unique_ptr<LanguageModel> model;
  std::vector<std::string> weight_files;  // read, in order
  std::string dtype;                      // of the stored weights
};

// One family: its config.json reader (Hugging Face's defaults for absent
// fields; errors name `file`) and its tensor-name map (`load`, given the
// config read).
struct Architecture {
  const char* model_type;
  TransformerConfig (*read_config)(const nlohmann::json& config, const std::string& file,
                                   const char* model_type);
  ArchitectureOutput (*load)(const ArchitectureInput& input, TransformerConfig config);
};

// The family for config.json's model_type, or for its "architectures" list
// ("LlamaForCausalLM", ...) when model_type is absent; nullptr if none.
const Architecture* find_architecture(const nlohmann::json& config);
// "gemma2, gemma3_text, gpt2, ..." for messages.
std::string supported_architectures();

// The families (architectures/*.cpp).
TransformerConfig read_llama_family_config(const nlohmann::json& config, const std::string& file,
                                           const char* model_type);
TransformerConfig read_gemma_config(const nlohmann::json& config, const std::string& file,
                                    const char* model_type);
TransformerConfig read_gpt_neox_config(const nlohmann::json& config, const std::string& file,
                                       const char* model_type);
ArchitectureOutput load_gpt_neox(const ArchitectureInput& input, TransformerConfig config);
TransformerConfig read_gpt2_architecture_config(const nlohmann::json& config,
                                                const std::string& file, const char* model_type);
ArchitectureOutput load_gpt2_architecture(const ArchitectureInput& input, TransformerConfig config);
// Llama's tensor names (llama_layout.h), shared by Llama, Mistral, Qwen, Gemma.
ArchitectureOutput build_llama_layout_model(const ArchitectureInput& input,
                                            TransformerConfig config);

}  // namespace beamscope
