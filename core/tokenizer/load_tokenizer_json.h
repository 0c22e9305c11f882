#pragma once

#include <filesystem>
#include <memory>

#include "tokenizer/tokenizer.h"

namespace beamscope {

// Loads a Hugging Face tokenizer.json (any supported pipeline, see
// hf_tokenizer.h), with the tokenizer_config.json beside it when there is one
// (add_bos_token / add_eos_token where the file has no post-processor,
// clean_up_tokenization_spaces). The file is hostile input: errors are one
// sentence naming the file and the part ("tokenizer.json: pre_tokenizer.
// pretokenizers[1].type "Foo" is not supported.").
std::unique_ptr<Tokenizer> load_tokenizer_json(const std::filesystem::path& file);

}  // namespace beamscope
