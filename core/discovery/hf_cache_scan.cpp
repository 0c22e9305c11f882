// The Hugging Face Hub cache: ROOT/models--ORG--NAME/{refs/main, snapshots/
// REV/...}. refs/main names the revision `transformers` would use; without
// it, the most recently written snapshot. A snapshot is a model folder, and
// each .gguf file in one (repositories of quantized files) a model of its own.
#include <fstream>

#include "discovery/find_models.h"
#include "discovery/model_summary.h"

namespace beamscope {

namespace fs = std::filesystem;

namespace {

std::string repo_name(const std::string& folder) {
  // "models--openai-community--gpt2" -> "openai-community/gpt2"; a name
  // without an organisation ("models--gpt2") stays "gpt2".
  std::string rest = folder.substr(std::string("models--").size());
  const auto separator = rest.find("--");
  if (separator != std::string::npos) rest.replace(separator, 2, "/");
  return rest;
}

}  // namespace

std::optional<fs::path> hf_cache_snapshot(const fs::path& repo) {
  std::error_code ec;
  const fs::path snapshots = repo / "snapshots";
  std::ifstream ref(repo / "refs" / "main");
  std::string revision;
  if (ref && std::getline(ref, revision)) {
    while (!revision.empty() &&
           (revision.back() == '\n' || revision.back() == '\r' || revision.back() == ' ')) {
      revision.pop_back();
    }
    // A revision is a commit hash; anything with a path separator is not.
    if (!revision.empty() && revision.find('/') == std::string::npos && revision != "." &&
        revision != ".." && fs::is_directory(snapshots / revision, ec)) {
      return snapshots / revision;
    }
  }
  std::optional<fs::path> newest;
  fs::file_time_type newest_time{};
  for (fs::directory_iterator it(snapshots, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    if (!it->is_directory(entry_ec)) continue;
    const auto time = it->last_write_time(entry_ec);
    if (!entry_ec && (!newest || time > newest_time)) {
      newest = it->path();
      newest_time = time;
    }
  }
  return newest;
}

void scan_hf_cache(const SearchRoot& root, std::vector<FoundModel>& out) {
  std::error_code ec;
  for (fs::directory_iterator it(root.path, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string folder = it->path().filename().string();
    std::error_code entry_ec;
    if (!folder.starts_with("models--") || !it->is_directory(entry_ec)) continue;
    const auto snapshot = hf_cache_snapshot(it->path());
    if (!snapshot) continue;
    const std::string name = repo_name(folder);
    bool has_config = fs::is_regular_file(*snapshot / "config.json", entry_ec);
    if (has_config) {
      FoundModel model{.name = name, .source = root.source, .path = *snapshot};
      summarize_model_folder(model);
      out.push_back(std::move(model));
    }
    for (fs::directory_iterator file(*snapshot, fs::directory_options::skip_permission_denied,
                                     entry_ec);
         !entry_ec && file != fs::directory_iterator(); file.increment(entry_ec)) {
      if (file->path().extension() != ".gguf") continue;
      FoundModel model{.name = name + "/" + file->path().filename().string(),
                       .source = root.source,
                       .path = file->path()};
      summarize_gguf_file(model);
      out.push_back(std::move(model));
    }
  }
}

}  // namespace beamscope
