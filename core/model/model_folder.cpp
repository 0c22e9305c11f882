#include "model/model_folder.h"

#include <nlohmann/json.hpp>
#include <string>

#include "model/gpt2_model.h"
#include "tokenizer/load_tokenizer.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace {

// eos_token_id / bos_token_id: an int, a list of ints (the first is used) or
// null. Out-of-range ids are an error rather than a crash later.
std::optional<std::int32_t> special_id(const nlohmann::json& json, const char* key,
                                       const std::filesystem::path& file, int vocab_size) {
  if (!json.is_object()) return std::nullopt;
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return std::nullopt;
  const nlohmann::json* value = &*it;
  if (value->is_array()) {
    if (value->empty()) return std::nullopt;
    value = &(*value)[0];
  }
  if (!value->is_number_integer()) {
    throw Error(file.string() + ": \"" + key + "\" must be an integer token id.");
  }
  const auto id = value->get<long long>();
  if (id < 0 || id >= vocab_size) {
    throw Error(file.string() + ": \"" + key + "\" = " + std::to_string(id) +
                " is outside the vocabulary (0.." + std::to_string(vocab_size - 1) + ").");
  }
  return static_cast<std::int32_t>(id);
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
  loaded.path = dir;
  loaded.model = load_gpt2_model(dir, weights_progress);
  if (progress && !progress(0.9, "Loading tokenizer")) throw Cancelled();
  loaded.tokenizer = load_tokenizer_folder(dir);
  const int vocab = loaded.model->info().vocab_size;
  if (loaded.tokenizer->vocab_size() > vocab) {
    throw Error(dir.string() + ": the tokenizer knows " +
                std::to_string(loaded.tokenizer->vocab_size()) +
                " tokens but the model's vocab_size is only " + std::to_string(vocab) + ".");
  }

  // generation_config.json overrides config.json, as in Hugging Face.
  loaded.eos_id = special_id(config, "eos_token_id", config_path, vocab);
  loaded.bos_id = special_id(config, "bos_token_id", config_path, vocab);
  const auto generation_path = dir / "generation_config.json";
  if (std::filesystem::is_regular_file(generation_path, ec)) {
    const nlohmann::json generation = read_json_file(generation_path);
    if (auto id = special_id(generation, "eos_token_id", generation_path, vocab))
      loaded.eos_id = id;
    if (auto id = special_id(generation, "bos_token_id", generation_path, vocab))
      loaded.bos_id = id;
  }
  if (progress && !progress(1.0, "Model loaded")) throw Cancelled();
  return loaded;
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
