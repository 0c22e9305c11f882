// The post-processors that put fixed tokens around the text, and the
// reader for the simple ones (ByteLevel, RobertaProcessing, BertProcessing,
// Sequence).
#include "tokenizer/post_processor.h"
#include "util/error.h"

namespace beamscope::hf {

namespace {

class SurroundingProcessor final : public PostProcessor {
 public:
  SurroundingProcessor(std::vector<std::int32_t> before, std::vector<std::int32_t> after)
      : before_(std::move(before)), after_(std::move(after)) {}
  void add_special_tokens(std::vector<std::int32_t>& ids) const override {
    ids.insert(ids.begin(), before_.begin(), before_.end());
    ids.insert(ids.end(), after_.begin(), after_.end());
  }
  std::vector<std::int32_t> ids_used() const override {
    std::vector<std::int32_t> all = before_;
    all.insert(all.end(), after_.begin(), after_.end());
    return all;
  }

 private:
  std::vector<std::int32_t> before_, after_;
};

class SequenceProcessor final : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<std::unique_ptr<PostProcessor>> steps)
      : steps_(std::move(steps)) {}
  void add_special_tokens(std::vector<std::int32_t>& ids) const override {
    for (const auto& step : steps_) step->add_special_tokens(ids);
  }
  std::vector<std::int32_t> ids_used() const override {
    std::vector<std::int32_t> all;
    for (const auto& step : steps_) {
      const auto ids = step->ids_used();
      all.insert(all.end(), ids.begin(), ids.end());
    }
    return all;
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> steps_;
};

// RobertaProcessing / BertProcessing: "cls" and "sep" as ["<s>", 0].
std::int32_t named_token_id(const json& part, const char* name, const std::string& where) {
  const json& pair = member(part, name, where);
  if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) {
    throw Error(where + "." + name + " must be a [token, id] pair.");
  }
  return token_id_value(pair[1], where + "." + name + "[1]");
}

}  // namespace

std::unique_ptr<PostProcessor> make_surrounding_processor(std::vector<std::int32_t> before,
                                                          std::vector<std::int32_t> after) {
  return std::make_unique<SurroundingProcessor>(std::move(before), std::move(after));
}

std::unique_ptr<PostProcessor> read_post_processor(const json& part, const std::string& where) {
  const std::string type = type_of(part, where);
  if (type == "ByteLevel") return make_surrounding_processor({}, {});  // only moves offsets
  if (type == "TemplateProcessing") return read_template_processing(part, where);
  if (type == "RobertaProcessing" || type == "BertProcessing") {
    return make_surrounding_processor({named_token_id(part, "cls", where)},
                                      {named_token_id(part, "sep", where)});
  }
  if (type == "Sequence") {
    const json& list = array_member(part, "processors", where);
    std::vector<std::unique_ptr<PostProcessor>> steps;
    for (std::size_t i = 0; i < list.size(); ++i) {
      steps.push_back(
          read_post_processor(list[i], where + ".processors[" + std::to_string(i) + "]"));
    }
    return std::make_unique<SequenceProcessor>(std::move(steps));
  }
  unsupported_type(where, type);
}

}  // namespace beamscope::hf
