#include "tokenizer/pre_tokenizer.h"

namespace beamscope::hf {

namespace {

class SequencePreTokenizer final : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> steps)
      : steps_(std::move(steps)) {}
  void pre_tokenize(std::vector<PreToken>& pieces) const override {
    for (const auto& step : steps_) step->pre_tokenize(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

}  // namespace

std::unique_ptr<PreTokenizer> read_sequence_pre_tokenizer(const json& part,
                                                          const std::string& where) {
  const json& list = array_member(part, "pretokenizers", where);
  std::vector<std::unique_ptr<PreTokenizer>> steps;
  for (std::size_t i = 0; i < list.size(); ++i) {
    steps.push_back(
        read_pre_tokenizer(list[i], where + ".pretokenizers[" + std::to_string(i) + "]"));
  }
  return std::make_unique<SequencePreTokenizer>(std::move(steps));
}

}  // namespace beamscope::hf
