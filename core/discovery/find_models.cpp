#include "discovery/find_models.h"

#include <algorithm>
#include <set>

namespace beamscope {

std::vector<FoundModel> find_models(const std::vector<SearchRoot>& roots) {
  std::vector<FoundModel> all;
  std::set<std::filesystem::path> seen;
  for (const SearchRoot& root : roots) {
    std::vector<FoundModel> found;
    if (root.source == "huggingface") {
      scan_hf_cache(root, found);
    } else if (root.source == "ollama") {
      scan_ollama(root, found);
    } else {
      scan_file_tree(root, found);
    }
    std::sort(found.begin(), found.end(),
              [](const FoundModel& a, const FoundModel& b) { return a.name < b.name; });
    for (FoundModel& model : found) {
      std::error_code ec;
      auto key = std::filesystem::weakly_canonical(model.path, ec);
      if (ec) key = model.path;
      if (seen.insert(key).second) all.push_back(std::move(model));
    }
  }
  return all;
}

}  // namespace beamscope
