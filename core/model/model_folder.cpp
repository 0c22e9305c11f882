#include "model/model_folder.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/architectures/architecture.h"
#include "model/gguf/gguf_model.h"
#include "model/llama2c_checkpoint.h"
#include "tokenizer/llama2c_tokenizer.h"
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
  const Architecture* architecture = find_architecture(config);
  if (!architecture) {
    const auto type = config.is_object() ? config.find("model_type") : config.end();
    const bool named = config.is_object() && type != config.end() && type->is_string();
    throw Error(config_path.string() +
                (named ? ": model_type '" + type->get<std::string>() + "' is not supported"
                       : std::string(": has no \"model_type\" string, so the architecture is "
                                     "unknown")) +
                " (supported: " + supported_architectures() + ").");
  }
  TransformerConfig transformer =
      architecture->read_config(config, config_path.string(), architecture->model_type);

  // Weights are most of the work; the tokenizer gets the last tenth.
  auto weights_progress = [&](double fraction, std::string_view what) {
    return !progress || progress(0.9 * fraction, what);
  };
  LoadedModel loaded;
  ArchitectureOutput weights =
      architecture->load(ArchitectureInput{dir, config, config_path.string(), weights_progress},
                         std::move(transformer));
  loaded.model = std::move(weights.model);
  loaded.info = loaded.model->info();
  loaded.info.path = dir.string();
  loaded.info.files = {config_path.string()};
  loaded.info.files.insert(loaded.info.files.end(), weights.weight_files.begin(),
                           weights.weight_files.end());
  loaded.info.dtype = weights.dtype;
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

static LoadedModel load_llama2c(const std::filesystem::path& file, const ProgressFn& progress,
                                std::filesystem::path tokenizer_file) {
  if (tokenizer_file.empty()) tokenizer_file = file.parent_path() / "tokenizer.bin";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(tokenizer_file, ec)) {
    throw Error(file.string() + " is a llama2.c checkpoint, but there is no " +
                tokenizer_file.string() + " (pass its tokenizer with --tokenizer FILE).");
  }
  LoadedModel loaded;
  loaded.model = load_llama2c_checkpoint(file, [&](double fraction, std::string_view what) {
    return !progress || progress(0.9 * fraction, what);
  });
  loaded.tokenizer = load_llama2c_tokenizer(tokenizer_file);
  loaded.info = loaded.model->info();
  loaded.info.path = file.string();
  loaded.info.files = {file.string(), tokenizer_file.string()};
  loaded.info.dtype = "F32";
  const int vocab = loaded.info.vocab_size;
  if (loaded.tokenizer->vocab_size() != vocab) {
    throw Error(tokenizer_file.string() + " has " + std::to_string(loaded.tokenizer->vocab_size()) +
                " tokens but the checkpoint " + file.string() + " has a vocabulary of " +
                std::to_string(vocab) + ".");
  }
  // SentencePiece's BOS 1 / EOS 2, as a Hugging Face Llama. Both end a
  // sequence: EOS as in Hugging Face, and BOS because llama2.c's run.c stops
  // when the model emits it (BOS delimits its training stories).
  if (vocab > 2) {
    loaded.info.bos_id = 1;
    loaded.info.eos_ids = {1, 2};
  }
  if (progress && !progress(1.0, "Model loaded")) throw Cancelled();
  return loaded;
}

LoadedModel load_model(const std::filesystem::path& model, const ProgressFn& progress,
                       const std::filesystem::path& tokenizer_file) {
  std::error_code ec;
  if (std::filesystem::is_directory(model, ec)) {
    if (!tokenizer_file.empty()) {
      throw Error("--tokenizer is for a llama2.c checkpoint; the folder " + model.string() +
                  " brings its own tokenizer.");
    }
    return load_model_folder(model, progress);
  }
  const std::string extension = model.extension().string();
  if (extension == ".bin" && std::filesystem::is_regular_file(model, ec)) {
    return load_llama2c(model, progress, tokenizer_file);
  }
  if (extension == ".gguf") {
    if (!tokenizer_file.empty()) {
      throw Error("--tokenizer is for a llama2.c checkpoint; the GGUF file " + model.string() +
                  " brings its own tokenizer.");
    }
    return load_gguf_model(model, progress);
  }
  return load_model_folder(model, progress);  // names what is wrong with it
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
