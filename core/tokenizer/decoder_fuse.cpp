#include "tokenizer/decoder.h"

namespace beamscope::hf {

namespace {

// Joins all tokens into one string (so a later Strip sees the whole text).
class FuseDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens, DecodeContext& context) const override {
    std::string text;
    for (const std::string& token : tokens) text += token;
    tokens.assign(1, std::move(text));
    context.fused = true;
  }
};

}  // namespace

std::unique_ptr<Decoder> read_fuse_decoder() { return std::make_unique<FuseDecoder>(); }

}  // namespace beamscope::hf
