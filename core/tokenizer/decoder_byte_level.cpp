#include "tokenizer/byte_unicode.h"
#include "tokenizer/decoder.h"

namespace beamscope::hf {

namespace {

// GPT-2's byte alphabet back to bytes, all tokens joined. A token with a
// character outside the alphabet (an added token) stands for its own text.
class ByteLevelDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens, DecodeContext& context) const override {
    std::string text;
    for (const std::string& token : tokens) {
      if (auto bytes = vocab_string_to_bytes(token)) {
        text += *bytes;
      } else {
        text += token;
      }
    }
    tokens.assign(1, std::move(text));
    context.fused = true;
  }
};

}  // namespace

std::unique_ptr<Decoder> read_byte_level_decoder() { return std::make_unique<ByteLevelDecoder>(); }

}  // namespace beamscope::hf
