#include "model/model_folder.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/gpt2_model.h"
#include "model/safetensors.h"
#include "tokenizer/load_tokenizer.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace {

// eos_token_id / bos_token_id: an int, a list of ints or null; nullopt when
// the key is absent or null. Out-of-range ids are an error rather than a
// crash later.
std::optional<std::vector<std::int32_t>> special_ids(const nlohmann::json& json, const char* key,
                                                     const std::filesystem::path& file,
                                                     int vocab_size) {
  if (!json.is_object()) return std::nullopt;
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return std::nullopt;
  std::vector<const nlohmann::json*> values;
  if (it->is_array()) {
    for (const auto& v : *it) values.push_back(&v);
  } else {
    values.push_back(&*it);
  }
  std::vector<std::int32_t> ids;
  for (const nlohmann::json* value : values) {
    if (!value->is_number_integer()) {
      throw Error(file.string() + ": \"" + key +
                  "\" must be an integer token id or a list of them.");
    }
    const auto id = value->get<long long>();
    if (id < 0 || id >= vocab_size) {
      throw Error(file.string() + ": \"" + key + "\" = " + std::to_string(id) +
                  " is outside the vocabulary (0.." + std::to_string(vocab_size - 1) + ").");
    }
    // A repeated id is one id: HF's pool size counts distinct EOS ids.
    if (std::find(ids.begin(), ids.end(), id) == ids.end())
      ids.push_back(static_cast<std::int32_t>(id));
  }
  return ids;
}

// "F32", "F16", "BF16", or "mixed" when the floating-point tensors differ.
std::string stored_dtype(const SafetensorsFile& file) {
  std::string dtype;
  for (const SafetensorsTensor& t : file.tensors()) {
    if (t.dtype != SafetensorsDtype::F32 && t.dtype != SafetensorsDtype::F16 &&
        t.dtype != SafetensorsDtype::BF16) {
      continue;
    }
    const std::string name(dtype_name(t.dtype));
    if (dtype.empty()) dtype = name;
    if (dtype != name) return "mixed";
  }
  return dtype;
}

// The tokenizer files load_tokenizer_folder reads, by the same rule.
void add_tokenizer_files(const std::filesystem::path& dir, std::vector<std::string>& files) {
  std::error_code ec;
  if (std::filesystem::exists(dir / "tokenizer.json", ec)) {
    files.push_back((dir / "tokenizer.json").string());
    return;
  }
  for (const char* name : {"vocab.json", "merges.txt", "tokenizer_config.json"}) {
    if (std::filesystem::exists(dir / name, ec)) files.push_back((dir / name).string());
  }
}

}  // namespace

LoadedModel load_model_folder(const std::filesystem::path& dir, const ProgressFn& progress) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    throw Error("Model folder " + dir.string() + " does not exist.");
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error(dir.string() + " is not a folder; --model expects a model folder.");
  }
  const auto config_path = dir / "config.json";
  if (!std::filesystem::is_regular_file(config_path, ec)) {
    throw Error(dir.string() + " is not a model folder: config.json is missing.");
  }
  const nlohmann::json config = read_json_file(config_path);
  const auto type_it = config.is_object() ? config.find("model_type") : config.end();
  const std::string model_type =
      (config.is_object() && type_it != config.end() && type_it->is_string())
          ? type_it->get<std::string>()
          : std::string();
  if (model_type.empty()) {
    throw Error(
        config_path.string() +
        ": has no \"model_type\" string, so the architecture is unknown (supported: gpt2).");
  }
  if (model_type != "gpt2") {
    throw Error(config_path.string() + ": model_type '" + model_type +
                "' is not supported (supported: gpt2).");
  }

  // Weights are most of the work; the tokenizer gets the last tenth.
  auto weights_progress = [&](double fraction, std::string_view what) {
    return !progress || progress(0.9 * fraction, what);
  };
  LoadedModel loaded;
  loaded.model = load_gpt2_model(dir, weights_progress);
  loaded.info = loaded.model->info();
  loaded.info.path = dir.string();
  loaded.info.files = {config_path.string(), (dir / "model.safetensors").string()};
  loaded.info.dtype = stored_dtype(SafetensorsFile(dir / "model.safetensors"));
  if (progress && !progress(0.9, "Loading tokenizer")) throw Cancelled();
  loaded.tokenizer = load_tokenizer_folder(dir);
  const int vocab = loaded.model->info().vocab_size;
  if (loaded.tokenizer->vocab_size() > vocab) {
    throw Error(dir.string() + ": the tokenizer knows " +
                std::to_string(loaded.tokenizer->vocab_size()) +
                " tokens but the model's vocab_size is only " + std::to_string(vocab) + ".");
  }

  // generation_config.json overrides config.json, as in Hugging Face.
  loaded.info.eos_ids =
      special_ids(config, "eos_token_id", config_path, vocab).value_or(std::vector<std::int32_t>{});
  if (auto ids = special_ids(config, "bos_token_id", config_path, vocab); ids && !ids->empty()) {
    loaded.info.bos_id = ids->front();
  }
  const auto generation_path = dir / "generation_config.json";
  if (std::filesystem::is_regular_file(generation_path, ec)) {
    loaded.info.files.push_back(generation_path.string());
    const nlohmann::json generation = read_json_file(generation_path);
    if (auto ids = special_ids(generation, "eos_token_id", generation_path, vocab)) {
      loaded.info.eos_ids = *ids;
    }
    if (auto ids = special_ids(generation, "bos_token_id", generation_path, vocab);
        ids && !ids->empty()) {
      loaded.info.bos_id = ids->front();
    }
  }
  add_tokenizer_files(dir, loaded.info.files);
  if (progress && !progress(1.0, "Model loaded")) throw Cancelled();
  return loaded;
}

LoadedModel load_model(const std::filesystem::path& model, const ProgressFn& progress,
                       const std::filesystem::path& tokenizer_file) {
  std::error_code ec;
  if (!tokenizer_file.empty() && std::filesystem::is_directory(model, ec)) {
    throw Error("--tokenizer is for a llama2.c checkpoint; the folder " + model.string() +
                " brings its own tokenizer.");
  }
  return load_model_folder(model, progress);
}

std::filesystem::path bundled_model_dir() {
  // An installed copy: <prefix>/bin/beamscope-cli -> <prefix>/share/beamscope/models/.
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed =
        exe.parent_path() / ".." / "share" / "beamscope" / "models" / "beamscope-mini";
    if (std::filesystem::is_regular_file(installed / "config.json", ec)) {
      return installed.lexically_normal();
    }
  }
  return BEAMSCOPE_BUNDLED_MODEL_DIR;
}

}  // namespace beamscope
