#include "tokenizer/decoder.h"

namespace beamscope::hf {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// SentencePiece's byte tokens "<0xE2>" become the byte they name.
class ByteFallbackDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens, DecodeContext&) const override {
    for (std::string& token : tokens) {
      if (token.size() != 6 || !token.starts_with("<0x") || token[5] != '>') continue;
      const int high = hex_digit(token[3]), low = hex_digit(token[4]);
      if (high < 0 || low < 0) continue;
      token.assign(1, static_cast<char>(high * 16 + low));
    }
  }
};

}  // namespace

std::unique_ptr<Decoder> read_byte_fallback_decoder() {
  return std::make_unique<ByteFallbackDecoder>();
}

}  // namespace beamscope::hf
