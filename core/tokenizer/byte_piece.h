#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace beamscope {

// SentencePiece's byte-fallback pieces spell byte NN as "<0xNN>" (llama2.c's
// tokenizer.bin and Hugging Face's ByteFallback use the same spelling).
// Returns NN, or nullopt for any other piece.
inline std::optional<std::uint8_t> byte_piece_value(std::string_view piece) {
  if (piece.size() != 6 || piece.substr(0, 3) != "<0x" || piece[5] != '>') return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  const int high = nibble(piece[3]), low = nibble(piece[4]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<std::uint8_t>(high * 16 + low);
}

}  // namespace beamscope
