#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace beamscope {

// A place models are kept and the kind of store it is, which says how to
// read it: "huggingface" (the Hub cache: models--org--name/snapshots/REV),
// "ollama" (manifests naming GGUF blobs), "lmstudio" and "llama.cpp" (trees
// of .gguf files), "folder" (a folder the user added: model folders and
// .gguf files below it).
struct SearchRoot {
  std::string source;
  std::filesystem::path path;
};

// Reads an environment variable; empty or unset give nullopt.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
std::optional<std::string> process_environment(const char* name);

// Where the tools people use keep their models, in this order, the same
// resolution they use themselves: the Hugging Face cache ($HF_HUB_CACHE,
// else $HF_HOME/hub, else ~/.cache/huggingface/hub), Ollama ($OLLAMA_MODELS,
// else ~/.ollama/models), LM Studio (~/.lmstudio/models and
// ~/.cache/lm-studio/models), llama.cpp's cache ($LLAMA_CACHE, else
// ~/.cache/llama.cpp). ~ is $HOME. Roots that do not exist are left out.
std::vector<SearchRoot> default_search_roots(const EnvironmentLookup& env = process_environment);

}  // namespace beamscope
