#include "tokenizer/decoder.h"
#include "tokenizer/hf_pattern.h"

namespace beamscope::hf {

namespace {

// Every match in each token replaced ("▁" -> " ").
class ReplaceDecoder final : public Decoder {
 public:
  ReplaceDecoder(const json& part, const std::string& where)
      : pattern_(member(part, "pattern", where), where + ".pattern"),
        content_(required_string(part, "content", where)) {}
  void decode_chain(std::vector<std::string>& tokens, DecodeContext&) const override {
    for (std::string& token : tokens) token = pattern_.replace_all(token, content_);
  }

 private:
  Pattern pattern_;
  std::string content_;
};

}  // namespace

std::unique_ptr<Decoder> read_replace_decoder(const json& part, const std::string& where) {
  return std::make_unique<ReplaceDecoder>(part, where);
}

}  // namespace beamscope::hf
