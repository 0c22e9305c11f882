#include "discovery/search_roots.h"

#include <cstdlib>

namespace beamscope {

std::optional<std::string> process_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::vector<SearchRoot> default_search_roots(const EnvironmentLookup& env) {
  namespace fs = std::filesystem;
  const std::optional<std::string> home = env("HOME");
  const auto under_home = [&](const char* relative) -> std::optional<fs::path> {
    if (!home) return std::nullopt;
    return fs::path(*home) / relative;
  };
  const auto first = [&](std::initializer_list<std::optional<fs::path>> candidates) {
    for (const auto& candidate : candidates) {
      if (candidate) return candidate;
    }
    return std::optional<fs::path>();
  };
  const auto from_env = [&](const char* name) -> std::optional<fs::path> {
    if (auto value = env(name)) return fs::path(*value);
    return std::nullopt;
  };
  std::optional<fs::path> hf_home = from_env("HF_HOME");
  std::vector<std::pair<std::string, std::optional<fs::path>>> candidates = {
      {"huggingface", first({from_env("HF_HUB_CACHE"),
                             hf_home ? std::optional<fs::path>(*hf_home / "hub") : std::nullopt,
                             under_home(".cache/huggingface/hub")})},
      {"ollama", first({from_env("OLLAMA_MODELS"), under_home(".ollama/models")})},
      {"lmstudio", under_home(".lmstudio/models")},
      {"lmstudio", under_home(".cache/lm-studio/models")},
      {"llama.cpp", first({from_env("LLAMA_CACHE"), under_home(".cache/llama.cpp")})},
  };
  std::vector<SearchRoot> roots;
  for (auto& [source, path] : candidates) {
    std::error_code ec;
    if (path && fs::is_directory(*path, ec)) roots.push_back({source, *path});
  }
  return roots;
}

}  // namespace beamscope
