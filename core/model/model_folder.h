#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "model/language_model.h"
#include "tokenizer/tokenizer.h"
#include "util/progress.h"

namespace beamscope {

// A model folder loaded and ready: the model, its tokenizer and the special
// ids from config.json / generation_config.json.
struct LoadedModel {
  std::unique_ptr<LanguageModel> model;
  std::unique_ptr<Tokenizer> tokenizer;
  std::optional<std::int32_t> eos_id;
  std::optional<std::int32_t> bos_id;
  std::filesystem::path path;
};

// Loads a Hugging Face style folder (config.json, model.safetensors, vocab.json
// + merges.txt or tokenizer.json). Every file is validated before use; errors
// are beamscope::Error naming the file and the problem.
LoadedModel load_model_folder(const std::filesystem::path& dir, const ProgressFn& progress = {});

// The model that ships with Beamscope (resources/models/beamscope-mini):
// next to the executable first, then the source tree it was built from.
std::filesystem::path bundled_model_dir();

}  // namespace beamscope
