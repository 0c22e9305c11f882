#include "tokenizer/decoder.h"
#include "tokenizer/utf8.h"
#include "util/error.h"

namespace beamscope::hf {

namespace {

// Removes up to `start` copies of a character from the front of each token
// and up to `stop` from the back (Llama 2 strips the one space SentencePiece
// put in front of the text). Once the tokens are fused into the text, a
// token's own contribution is not at the text's ends, so nothing is cut.
class StripDecoder final : public Decoder {
 public:
  StripDecoder(std::string content, std::size_t start, std::size_t stop)
      : content_(std::move(content)), start_(start), stop_(stop) {}

  void decode_chain(std::vector<std::string>& tokens, DecodeContext& context) const override {
    for (std::string& token : tokens) {
      const bool cut_front = !context.fused || context.at_text_start;
      const bool cut_back = !context.fused || context.at_text_end;
      std::size_t begin = 0, end = token.size();
      for (std::size_t n = 0;
           cut_front && n < start_ && token.compare(begin, content_.size(), content_) == 0; ++n) {
        begin += content_.size();
      }
      for (std::size_t n = 0; cut_back && n < stop_ && end >= begin + content_.size() &&
                              token.compare(end - content_.size(), content_.size(), content_) == 0;
           ++n) {
        end -= content_.size();
      }
      token = token.substr(begin, end - begin);
    }
  }

 private:
  std::string content_;
  std::size_t start_, stop_;
};

}  // namespace

std::unique_ptr<Decoder> read_strip_decoder(const json& part, const std::string& where) {
  std::string content = required_string(part, "content", where);
  if (content.empty() || utf8::valid_char_length(content, 0) != content.size()) {
    throw Error(where + ".content must be one character.");
  }
  const auto start = int_member(part, "start", 0, 0, 1 << 20, where);
  const auto stop = int_member(part, "stop", 0, 0, 1 << 20, where);
  return std::make_unique<StripDecoder>(std::move(content), std::size_t(start), std::size_t(stop));
}

}  // namespace beamscope::hf
