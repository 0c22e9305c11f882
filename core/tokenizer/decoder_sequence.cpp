#include "tokenizer/decoder.h"

namespace beamscope::hf {

namespace {

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps)
      : steps_(std::move(steps)) {}
  void decode_chain(std::vector<std::string>& tokens, DecodeContext& context) const override {
    for (const auto& step : steps_) step->decode_chain(tokens, context);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

}  // namespace

std::unique_ptr<Decoder> read_sequence_decoder(const json& part, const std::string& where) {
  const json& list = array_member(part, "decoders", where);
  std::vector<std::unique_ptr<Decoder>> steps;
  for (std::size_t i = 0; i < list.size(); ++i) {
    steps.push_back(read_decoder(list[i], where + ".decoders[" + std::to_string(i) + "]"));
  }
  return std::make_unique<SequenceDecoder>(std::move(steps));
}

}  // namespace beamscope::hf
