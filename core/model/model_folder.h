#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "model/language_model.h"
#include "tokenizer/tokenizer.h"
#include "util/progress.h"

namespace beamscope {

// A model loaded and ready: the model, its tokenizer and its description.
// `info` is model->info() completed by the loader with what only the files
// around the weights tell: special ids (config.json, generation_config.json)
// and every file read.
struct LoadedModel {
  std::unique_ptr<LanguageModel> model;
  std::unique_ptr<Tokenizer> tokenizer;
  ModelInfo info;
};

// Opens whatever --model names: a Hugging Face folder, a llama.cpp GGUF file
// (.gguf, model and tokenizer in one), or a llama2.c checkpoint (.bin) whose
// tokenizer is `tokenizer_file` or the tokenizer.bin beside it.
LoadedModel load_model(const std::filesystem::path& model, const ProgressFn& progress = {},
                       const std::filesystem::path& tokenizer_file = {});

// Loads a Hugging Face style folder (config.json, model.safetensors, vocab.json
// + merges.txt or tokenizer.json). Every file is validated before use; errors
// are beamscope::Error naming the file and the problem.
LoadedModel load_model_folder(const std::filesystem::path& dir, const ProgressFn& progress = {});

// The model that ships with Beamscope (resources/models/beamscope-mini):
// next to the executable first, then the source tree it was built from.
std::filesystem::path bundled_model_dir();

}  // namespace beamscope
