#include <vector>

#include "tokenizer/normalizer.h"

namespace beamscope::hf {

namespace {

class SequenceNormalizer final : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps)
      : steps_(std::move(steps)) {}
  void normalize(std::string& text) const override {
    for (const auto& step : steps_) step->normalize(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

}  // namespace

std::unique_ptr<Normalizer> read_sequence_normalizer(const json& part, const std::string& where) {
  const json& list = array_member(part, "normalizers", where);
  std::vector<std::unique_ptr<Normalizer>> steps;
  for (std::size_t i = 0; i < list.size(); ++i) {
    steps.push_back(read_normalizer(list[i], where + ".normalizers[" + std::to_string(i) + "]"));
  }
  return std::make_unique<SequenceNormalizer>(std::move(steps));
}

}  // namespace beamscope::hf
