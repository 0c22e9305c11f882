#include "tokenizer/hf_pattern.h"
#include "tokenizer/normalizer.h"

namespace beamscope::hf {

namespace {

// Every match of a string or regex replaced by `content` (" " -> "▁").
class ReplaceNormalizer final : public Normalizer {
 public:
  ReplaceNormalizer(const json& part, const std::string& where)
      : pattern_(member(part, "pattern", where), where + ".pattern"),
        content_(required_string(part, "content", where)) {}
  void normalize(std::string& text) const override { text = pattern_.replace_all(text, content_); }

 private:
  Pattern pattern_;
  std::string content_;
};

}  // namespace

std::unique_ptr<Normalizer> read_replace_normalizer(const json& part, const std::string& where) {
  return std::make_unique<ReplaceNormalizer>(part, where);
}

}  // namespace beamscope::hf
