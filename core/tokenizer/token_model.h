#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/hf_json.h"
#include "tokenizer/model_vocabulary.h"

namespace beamscope::hf {

// A tokenizer.json "model": turns one pre-tokenized piece into ids.
class TokenModel {
 public:
  virtual ~TokenModel() = default;
  // Appends the ids of `piece` (valid UTF-8, never empty).
  virtual void tokenize(std::string_view piece, std::vector<std::int32_t>& ids) const = 0;
  const ModelVocabulary& vocabulary() const { return vocab_; }

 protected:
  explicit TokenModel(std::string where) : vocab_(std::move(where)) {}
  ModelVocabulary vocab_;
};

struct BpeBulkParts;

// Reads the model; `where` is e.g. "tokenizer.json: model". `bulk`, when
// given, holds the BPE vocab and merges read ahead of the DOM parse (see
// bpe_json_bulk.h); `part` then has them blanked.
std::unique_ptr<TokenModel> read_token_model(const json& part, const std::string& where,
                                             const BpeBulkParts* bulk = nullptr);

// One reader per type (each in the file named after it).
std::unique_ptr<TokenModel> read_bpe_model(const json& part, const std::string& where,
                                           const BpeBulkParts* bulk = nullptr);
std::unique_ptr<TokenModel> read_unigram_model(const json& part, const std::string& where);
std::unique_ptr<TokenModel> read_word_level_model(const json& part, const std::string& where);

}  // namespace beamscope::hf
