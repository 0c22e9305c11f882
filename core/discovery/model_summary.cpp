#include "discovery/model_summary.h"

#include <fstream>

#include "model/architectures/architecture.h"
#include "model/gguf/gguf_file.h"
#include "model/gguf/gguf_model.h"
#include "model/weight_files.h"
#include "tokenizer/load_tokenizer.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string architecture_name(const nlohmann::json& config) {
  if (auto type = config.find("model_type"); type != config.end() && type->is_string()) {
    return type->get<std::string>();
  }
  if (auto list = config.find("architectures");
      list != config.end() && list->is_array() && !list->empty() && (*list)[0].is_string()) {
    return (*list)[0].get<std::string>();
  }
  return "";
}

std::string not_openable(const fs::path& dir, const std::string& what) {
  return dir.string() + " " + what;
}

}  // namespace

std::uint64_t size_on_disk(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
  }
  std::uint64_t total = 0;
  // Links are followed for files (the Hub cache's snapshots are links into
  // blobs/) but not for folders, so a link loop cannot trap the walk.
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() > 3) it.disable_recursion_pending();
    std::error_code file_ec;
    if (fs::is_regular_file(it->path(), file_ec)) {
      const auto size = fs::file_size(it->path(), file_ec);
      if (!file_ec) total += size;
    }
  }
  return total;
}

void summarize_model_folder(FoundModel& model) {
  const fs::path& dir = model.path;
  model.size_bytes = size_on_disk(dir);
  const fs::path config_path = dir / "config.json";
  if (!is_file(config_path)) {
    model.reason = not_openable(dir, "has no config.json.");
    return;
  }
  try {
    const nlohmann::json config = read_json_file(config_path);
    if (!config.is_object()) throw Error(config_path.string() + " is not a JSON object.");
    model.architecture = architecture_name(config);
    if (find_architecture(config) == nullptr) {
      model.reason = not_openable(dir, "is a model of type '" + model.architecture +
                                           "', which Beamscope does not open (it opens " +
                                           supported_architectures() + ").");
      return;
    }
    if (!is_file(dir / "model.safetensors") && !is_file(dir / "model.safetensors.index.json")) {
      model.reason =
          not_openable(dir, is_file(dir / "pytorch_model.bin")
                                ? "has only PyTorch .bin weights; Beamscope reads safetensors."
                                : "has no model.safetensors or model.safetensors.index.json.");
      return;
    }
    const WeightFiles weights = WeightFiles::open_folder(dir);
    std::uint64_t parameters = 0;
    for (const auto& [name, entry] : weights.tensors()) {
      std::uint64_t count = 1;
      for (std::uint64_t d : entry.tensor->shape) count *= d;  // checked by the reader
      parameters += count;
    }
    model.parameter_count = parameters;
    model.dtype = weights.dtype();
    if (!folder_has_tokenizer(dir)) {
      model.reason = not_openable(
          dir, "has no tokenizer (tokenizer.json, tokenizer.model or vocab.json + merges.txt).");
      return;
    }
    model.can_open = true;
  } catch (const Error& e) {
    model.reason = e.what();
  }
}

bool looks_like_gguf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "GGUF";
}

void summarize_gguf_file(FoundModel& model) {
  model.size_bytes = size_on_disk(model.path);
  try {
    // Maps the file and reads its header and tensor table only.
    const GgufFile file(model.path);
    model.architecture = file.string("general.architecture").value_or("");
    std::uint64_t parameters = 0;
    // rope_freqs.weight is a computed table (HF's inv_freq buffer), not weights.
    for (const GgufTensor& tensor : file.tensors())
      if (tensor.name != "rope_freqs.weight") parameters += tensor.elements;
    model.parameter_count = parameters;
    model.dtype = gguf_dtype(file);
    (void)gguf_transformer_config(file);  // an architecture or setting it cannot run: the reason
    const auto tokenizer = file.string("tokenizer.ggml.model");
    if (!tokenizer || (*tokenizer != "gpt2" && *tokenizer != "llama")) {
      model.reason =
          model.path.string() +
          (tokenizer ? " has a '" + *tokenizer + "' tokenizer, which Beamscope does not read."
                     : " has no tokenizer.");
      return;
    }
    model.can_open = true;
  } catch (const Error& e) {
    model.reason = e.what();
  }
}

}  // namespace beamscope
