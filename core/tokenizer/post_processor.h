#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/hf_json.h"

namespace beamscope::hf {

// A tokenizer.json "post_processor": what encode(text, add_special_tokens=
// true) adds around the ids of one text (BOS, [CLS] ... [SEP]).
class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  virtual void add_special_tokens(std::vector<std::int32_t>& ids) const = 0;
  // Every id it may add, so the tokenizer can check them against its vocabulary.
  virtual std::vector<std::int32_t> ids_used() const = 0;
};

// Reads any supported post-processor; `where` is e.g. "tokenizer.json: post_processor".
std::unique_ptr<PostProcessor> read_post_processor(const json& part, const std::string& where);

// Fixed tokens before and after the text (TemplateProcessing for one
// sequence, RobertaProcessing, BertProcessing, and tokenizer_config.json's
// add_bos_token / add_eos_token).
std::unique_ptr<PostProcessor> make_surrounding_processor(std::vector<std::int32_t> before,
                                                          std::vector<std::int32_t> after);

std::unique_ptr<PostProcessor> read_template_processing(const json& part, const std::string& where);

}  // namespace beamscope::hf
