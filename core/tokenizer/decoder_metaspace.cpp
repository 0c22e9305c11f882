#include "tokenizer/decoder.h"
#include "util/error.h"

namespace beamscope::hf {

namespace {

// "▁" back to ' '; the space the pre-tokenizer put in front of the text is
// dropped from the first token (one space, as the reference decoder does).
class MetaspaceDecoder final : public Decoder {
 public:
  MetaspaceDecoder(std::string replacement, bool strip_first)
      : replacement_(std::move(replacement)), strip_first_(strip_first) {}

  void decode_chain(std::vector<std::string>& tokens, DecodeContext& context) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string& token = tokens[i];
      std::string out;
      out.reserve(token.size());
      for (std::size_t pos = 0; pos < token.size();) {
        if (token.compare(pos, replacement_.size(), replacement_) == 0) {
          out += ' ';
          pos += replacement_.size();
        } else {
          out += token[pos++];
        }
      }
      if (i == 0 && context.at_text_start && strip_first_ && out.starts_with(' ')) out.erase(0, 1);
      token = std::move(out);
    }
  }

 private:
  std::string replacement_;
  bool strip_first_;
};

}  // namespace

std::unique_ptr<Decoder> read_metaspace_decoder(const json& part, const std::string& where) {
  std::string replacement = required_string(part, "replacement", where);
  if (replacement.empty()) throw Error(where + ".replacement must be one character.");
  bool strip_first = bool_member(part, "add_prefix_space", true, where);
  if (auto scheme = string_member(part, "prepend_scheme", where)) strip_first = *scheme != "never";
  return std::make_unique<MetaspaceDecoder>(std::move(replacement), strip_first);
}

}  // namespace beamscope::hf
