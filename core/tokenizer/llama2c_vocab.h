#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace beamscope {

// The records of a llama2.c tokenizer.bin, checked for size and shape but
// not yet interpreted (llama2c_tokenizer.h says what they mean).
struct Llama2cVocab {
  std::int32_t max_token_length = 0;
  std::vector<std::string> pieces;  // by id
  std::vector<float> scores;        // by id, finite
};

// Reads and checks `file`; errors are one sentence naming it.
Llama2cVocab read_llama2c_vocab(const std::filesystem::path& file);

// The same checks on bytes already in memory; `name` is what errors call
// them (the fuzz target feeds it directly).
Llama2cVocab parse_llama2c_vocab(std::string_view bytes, const std::string& name);

}  // namespace beamscope
