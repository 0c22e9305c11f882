// LM Studio (PUBLISHER/REPO/FILE.gguf), llama.cpp's download cache (flat
// .gguf files) and folders the user adds: every model folder (one with a
// config.json; not looked into further) and every .gguf file, at most four
// levels deep. Folder links are not followed, so a link loop cannot trap
// the walk.
#include "discovery/find_models.h"
#include "discovery/model_summary.h"

namespace beamscope {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxDepth = 4;

std::string name_below(const fs::path& path, const fs::path& root) {
  const fs::path relative = path.lexically_relative(root);
  return relative.empty() || relative == "." ? path.filename().string() : relative.string();
}

}  // namespace

void scan_file_tree(const SearchRoot& root, std::vector<FoundModel>& out) {
  std::error_code ec;
  if (fs::is_regular_file(root.path / "config.json", ec)) {
    FoundModel model{
        .name = root.path.filename().string(), .source = root.source, .path = root.path};
    summarize_model_folder(model);
    out.push_back(std::move(model));
    return;
  }
  fs::recursive_directory_iterator it(root.path, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    const fs::path& path = it->path();
    if (it->is_directory(entry_ec)) {
      if (it.depth() + 1 >= kMaxDepth) it.disable_recursion_pending();
      if (fs::is_regular_file(path / "config.json", entry_ec)) {
        it.disable_recursion_pending();
        FoundModel model{.name = name_below(path, root.path), .source = root.source, .path = path};
        summarize_model_folder(model);
        out.push_back(std::move(model));
      }
    } else if (path.extension() == ".gguf" && it->is_regular_file(entry_ec)) {
      FoundModel model{.name = name_below(path, root.path), .source = root.source, .path = path};
      summarize_gguf_file(model);
      out.push_back(std::move(model));
    }
  }
}

}  // namespace beamscope
