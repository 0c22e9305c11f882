#include "tokenizer/normalizer.h"

namespace beamscope::hf {

namespace {

// Puts a fixed string in front of non-empty text (Llama 2's "▁").
class PrependNormalizer final : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);
  }

 private:
  std::string prefix_;
};

}  // namespace

std::unique_ptr<Normalizer> read_prepend_normalizer(const json& part, const std::string& where) {
  return std::make_unique<PrependNormalizer>(required_string(part, "prepend", where));
}

}  // namespace beamscope::hf
