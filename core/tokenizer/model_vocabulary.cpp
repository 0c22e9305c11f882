#include "tokenizer/model_vocabulary.h"

#include <cstdio>

#include "tokenizer/hf_json.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

namespace {

std::string as_json_text(const std::string& token) {
  return json_value_for_message(nlohmann::json(token));
}

}  // namespace

void ModelVocabulary::reserve(std::size_t count) { ids_.reserve(count); }

void ModelVocabulary::add(std::string token, std::int64_t id) {
  if (id < 0 || id > kMaxTokenId) {
    throw Error(where_ + ": token " + as_json_text(token) + " has id " + std::to_string(id) +
                ", outside 0.." + std::to_string(kMaxTokenId) + ".");
  }
  if (ids_.size() >= std::size_t(kMaxTokenId)) throw Error(where_ + " has too many tokens.");
  auto [it, inserted] = ids_.emplace(std::move(token), static_cast<std::int32_t>(id));
  if (!inserted) throw Error(where_ + ": token " + as_json_text(it->first) + " appears twice.");
  max_id_ = std::max(max_id_, id);
}

void ModelVocabulary::finish() {
  const auto count = static_cast<std::int64_t>(ids_.size());
  // A sparse id space may not cost much more memory than the file.
  if (max_id_ >= 2 * count + 1024) {
    throw Error(where_ + ": token ids are too sparse (the largest is " + std::to_string(max_id_) +
                " for " + std::to_string(count) + " tokens).");
  }
  tokens_.assign(static_cast<std::size_t>(max_id_ + 1), nullptr);
  for (const auto& [token, id] : ids_) {
    const std::string*& slot = tokens_[static_cast<std::size_t>(id)];
    if (slot != nullptr) {
      throw Error(where_ + ": id " + std::to_string(id) + " is given to both " +
                  as_json_text(*slot) + " and " + as_json_text(token) + ".");
    }
    slot = &token;
  }
}

std::vector<std::int32_t> byte_fallback_ids(const ModelVocabulary& vocab) {
  std::vector<std::int32_t> ids(256);
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    ids[static_cast<std::size_t>(b)] = vocab.find(name).value_or(-1);
  }
  return ids;
}

}  // namespace beamscope::hf
