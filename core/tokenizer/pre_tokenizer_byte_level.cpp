#include "tokenizer/byte_unicode.h"
#include "tokenizer/gpt2_pretokenizer.h"
#include "tokenizer/pre_tokenizer.h"

namespace beamscope::hf {

namespace {

// GPT-2's ByteLevel: optionally a space in front of each piece, optionally
// GPT-2's split, then every byte spelled as its printable character.
class ByteLevelPreTokenizer final : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}

  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    std::vector<PreToken> out;
    out.reserve(pieces.size());
    std::string prefixed;
    for (const PreToken& piece : pieces) {
      std::string_view text = piece.text;
      if (add_prefix_space_ && !text.starts_with(' ')) {
        prefixed.assign(" ").append(text);
        text = prefixed;
      }
      if (!use_regex_) {
        out.push_back({bytes_to_vocab_string(text), piece.at_start});
        continue;
      }
      bool first = true;
      split_.split(text, [&](std::string_view part) {
        out.push_back({bytes_to_vocab_string(part), piece.at_start && first});
        first = false;
      });
    }
    pieces = std::move(out);
  }

 private:
  bool add_prefix_space_;
  bool use_regex_;
  Gpt2PreTokenizer split_;
};

}  // namespace

std::unique_ptr<PreTokenizer> read_byte_level_pre_tokenizer(const json& part,
                                                            const std::string& where) {
  return std::make_unique<ByteLevelPreTokenizer>(bool_member(part, "add_prefix_space", true, where),
                                                 bool_member(part, "use_regex", true, where));
}

}  // namespace beamscope::hf
