#pragma once

#include <filesystem>
#include <memory>

#include "tokenizer/tokenizer.h"

namespace beamscope {

// Loads the tokenizer at `path`, which is one of
//   - a Hugging Face tokenizer.json (any *.json file),
//   - a SentencePiece model (*.model),
//   - a llama2.c tokenizer.bin (*.bin),
//   - the tokenizer embedded in a GGUF model file (*.gguf),
//   - a folder, read as load_tokenizer_folder() reads it.
// Files are validated as hostile input; errors are one beamscope::Error
// sentence naming the file and the problem.
std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& path);

// Loads the tokenizer of a model folder, the first of: tokenizer.json (as
// Hugging Face's fast tokenizers prefer it), tokenizer.model (SentencePiece),
// vocab.json + merges.txt (GPT-2 byte-level BPE), tokenizer.bin (llama2.c).
std::unique_ptr<Tokenizer> load_tokenizer_folder(const std::filesystem::path& dir);

// Whether load_tokenizer_folder() finds tokenizer files in `dir` (their
// contents are not read): the same choice, for listings that read headers only.
bool folder_has_tokenizer(const std::filesystem::path& dir);

}  // namespace beamscope
