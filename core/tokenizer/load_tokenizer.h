#pragma once

#include <filesystem>
#include <memory>

#include "tokenizer/tokenizer.h"

namespace beamscope {

// Loads the tokenizer of a model folder: tokenizer.json if present, else
// vocab.json + merges.txt (GPT-2 byte-level BPE). Files are validated as
// hostile input; errors are beamscope::Error naming the file and the problem.
std::unique_ptr<Tokenizer> load_tokenizer_folder(const std::filesystem::path& dir);

}  // namespace beamscope
