#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace beamscope {

// One model found on disk, described from its headers only (config.json,
// safetensors headers, a GGUF's header): what `beamscope-cli models` prints
// and the GUI's model picker lists.
struct FoundModel {
  std::string name;            // "openai-community/gpt2", "llama3.2:1b", "Qwen3-0.6B-Q8_0"
  std::string source;          // "huggingface", "ollama", "lmstudio", "llama.cpp", "folder"
  std::filesystem::path path;  // what --model takes (a folder or a file)
  std::string architecture;    // config.json's model_type, GGUF's general.architecture; "" unknown
  std::optional<std::uint64_t> parameter_count;  // from the weight headers
  std::string dtype;             // "F32", "F16", "BF16", "mixed", or a GGUF quantization
  std::uint64_t size_bytes = 0;  // on disk, links followed
  bool can_open = false;
  std::string reason;  // why not, when !can_open: one sentence
};

}  // namespace beamscope
