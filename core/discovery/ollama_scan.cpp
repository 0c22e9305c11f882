// Ollama's store: ROOT/manifests/HOST/NAMESPACE/MODEL/TAG is a JSON manifest
// whose layer of media type application/vnd.ollama.image.model names the
// GGUF weights by digest; the blob is ROOT/blobs/sha256-HEX. Manifests are
// read as hostile: size-limited, the digest checked to be 64 hex digits (so
// it cannot name a path outside blobs/).
#include <fstream>
#include <nlohmann/json.hpp>

#include "discovery/find_models.h"
#include "discovery/model_summary.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxManifestBytes = 1 << 20;

std::string display_name(const fs::path& manifest, const fs::path& manifests) {
  // HOST/NAMESPACE/MODEL/TAG -> "MODEL:TAG" for Ollama's own library,
  // "NAMESPACE/MODEL:TAG" for others on its registry, the whole path else.
  std::vector<std::string> parts;
  for (const auto& part : manifest.lexically_relative(manifests)) parts.push_back(part.string());
  if (parts.size() != 4) return manifest.lexically_relative(manifests).string();
  const std::string model_tag = parts[2] + ":" + parts[3];
  if (parts[0] != "registry.ollama.ai") return parts[0] + "/" + parts[1] + "/" + model_tag;
  return parts[1] == "library" ? model_tag : parts[1] + "/" + model_tag;
}

bool is_hex_digest(const std::string& hex) {
  return hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The blob the manifest names as the model, or an error sentence.
fs::path model_blob(const fs::path& manifest, const fs::path& root) {
  std::error_code ec;
  const auto size = fs::file_size(manifest, ec);
  if (ec || size > kMaxManifestBytes) {
    throw Error(manifest.string() + " is not a readable Ollama manifest of at most 1 MB.");
  }
  const nlohmann::json json = read_json_file(manifest);
  const auto layers = json.is_object() ? json.find("layers") : json.end();
  if (layers == json.end() || !layers->is_array()) {
    throw Error(manifest.string() + " has no \"layers\" list.");
  }
  for (const auto& layer : *layers) {
    if (!layer.is_object() ||
        layer.value("mediaType", nlohmann::json()) != "application/vnd.ollama.image.model") {
      continue;
    }
    const auto digest = layer.find("digest");
    const std::string text =
        digest != layer.end() && digest->is_string() ? digest->get<std::string>() : "";
    if (!text.starts_with("sha256:") || !is_hex_digest(text.substr(7))) {
      throw Error(manifest.string() + " names its model layer by an invalid digest.");
    }
    return root / "blobs" / ("sha256-" + text.substr(7));
  }
  throw Error(manifest.string() + " has no model layer.");
}

}  // namespace

void scan_ollama(const SearchRoot& root, std::vector<FoundModel>& out) {
  const fs::path manifests = root.path / "manifests";
  std::error_code ec;
  fs::recursive_directory_iterator it(manifests, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() >= 3) it.disable_recursion_pending();
    std::error_code entry_ec;
    if (it.depth() != 3 || !it->is_regular_file(entry_ec)) continue;
    FoundModel model{.name = display_name(it->path(), manifests), .source = root.source};
    try {
      model.path = model_blob(it->path(), root.path);
    } catch (const Error& e) {
      model.path = it->path();
      model.reason = e.what();
      out.push_back(std::move(model));
      continue;
    }
    if (!fs::is_regular_file(model.path, entry_ec)) {
      model.reason = "The weights of " + model.name + " (" + model.path.string() + ") are missing.";
    } else if (!looks_like_gguf(model.path)) {
      model.size_bytes = size_on_disk(model.path);
      model.reason = model.path.string() + " is not a GGUF file.";
    } else {
      summarize_gguf_file(model);
    }
    out.push_back(std::move(model));
  }
}

}  // namespace beamscope
