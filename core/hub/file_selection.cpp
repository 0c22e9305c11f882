#include <fnmatch.h>

#include "hub/hub_download.h"
#include "util/error.h"

namespace beamscope::hub {

namespace {
bool matches(const std::string& pattern, const std::string& name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

std::vector<std::string> select_repo_files(const std::vector<std::string>& names,
                                           const std::vector<std::string>& include,
                                           const std::string& repo_id) {
  std::vector<std::string> chosen;
  if (!include.empty()) {
    for (const std::string& name : names) {
      for (const std::string& pattern : include) {
        if (matches(pattern, name)) {
          chosen.push_back(name);
          break;
        }
      }
    }
    if (chosen.empty()) {
      std::string list;
      for (const std::string& p : include) list += (list.empty() ? "'" : ", '") + p + "'";
      throw Error("No file of " + repo_id + " matches " + list + ".");
    }
    return chosen;
  }
  // Other formats of the same weights (pytorch_model.bin, TF, Flax, ONNX)
  // and sub-folders would multiply the download for nothing Beamscope reads.
  bool any_gguf = false;
  for (const std::string& name : names) {
    if (ends_with(name, ".gguf")) any_gguf = true;
    if (name.find('/') != std::string::npos) continue;
    if (ends_with(name, ".json") || ends_with(name, ".safetensors") || ends_with(name, ".txt") ||
        name == "tokenizer.model" || ends_with(name, ".tiktoken")) {
      chosen.push_back(name);
    }
  }
  bool any_weights = false;
  for (const std::string& name : chosen)
    any_weights = any_weights || ends_with(name, ".safetensors");
  if (!any_weights && any_gguf) {
    throw Error(repo_id + " holds GGUF files, each a whole model: name the one you want with " +
                "--include (for example --include '*Q4_K_M.gguf').");
  }
  if (chosen.empty())
    throw Error(repo_id + " has no file Beamscope can use; name files with --include.");
  return chosen;
}

}  // namespace beamscope::hub
