#include "tokenizer/llama2c_vocab.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "tokenizer/tokenizer_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

// Far above any real vocabulary's longest piece (Llama 2: 48 bytes, Gemma:
// a few hundred); a larger value means the file is not a tokenizer.bin.
constexpr std::int32_t kMaxPieceBytes = 1 << 16;

// Little-endian scalars, as llama2.c writes them on every machine it runs on.
std::uint32_t read_u32(std::string_view bytes, std::size_t pos) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<std::uint8_t>(bytes[pos + i]);
  return value;
}

}  // namespace

Llama2cVocab parse_llama2c_vocab(std::string_view bytes, const std::string& name) {
  Llama2cVocab vocab;
  if (bytes.size() < 4) {
    throw Error(name + " is too short for a llama2.c tokenizer (" + std::to_string(bytes.size()) +
                " bytes; its header alone is 4).");
  }
  vocab.max_token_length = static_cast<std::int32_t>(read_u32(bytes, 0));
  if (vocab.max_token_length < 1 || vocab.max_token_length > kMaxPieceBytes) {
    throw Error(name + " declares a longest token of " + std::to_string(vocab.max_token_length) +
                " bytes, which is not a llama2.c tokenizer header (expected 1 to " +
                std::to_string(kMaxPieceBytes) + ").");
  }
  std::size_t pos = 4;
  while (pos < bytes.size()) {
    const std::size_t id = vocab.pieces.size();
    const std::string where = name + ": token " + std::to_string(id);
    if (bytes.size() - pos < 8) {
      throw Error(where + " is cut off inside its score and length (the file ends at byte " +
                  std::to_string(bytes.size()) + ").");
    }
    const std::uint32_t score_bits = read_u32(bytes, pos);
    float score;
    std::memcpy(&score, &score_bits, sizeof score);
    const auto length = static_cast<std::int32_t>(read_u32(bytes, pos + 4));
    pos += 8;
    if (!std::isfinite(score)) throw Error(where + " has a score that is not a finite number.");
    if (length < 0 || length > vocab.max_token_length) {
      throw Error(where + " has a length of " + std::to_string(length) +
                  " bytes, outside 0 to the header's longest token (" +
                  std::to_string(vocab.max_token_length) + ").");
    }
    if (bytes.size() - pos < static_cast<std::size_t>(length)) {
      throw Error(where + " is cut off: it needs " + std::to_string(length) + " bytes but only " +
                  std::to_string(bytes.size() - pos) + " remain.");
    }
    if (id >= static_cast<std::size_t>(INT32_MAX)) throw Error(name + " has too many tokens.");
    vocab.pieces.emplace_back(bytes.substr(pos, static_cast<std::size_t>(length)));
    vocab.scores.push_back(score);
    pos += static_cast<std::size_t>(length);
  }
  return vocab;
}

Llama2cVocab read_llama2c_vocab(const std::filesystem::path& file) {
  return parse_llama2c_vocab(read_bounded_tokenizer_file(file), file.string());
}

}  // namespace beamscope
