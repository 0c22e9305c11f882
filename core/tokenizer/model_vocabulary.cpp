#include "tokenizer/model_vocabulary.h"

#include <algorithm>
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

void ModelVocabulary::add(std::string token, std::int64_t id) {
  if (id < 0 || id > kMaxTokenId) {
    throw Error(where_ + ": token " + as_json_text(token) + " has id " + std::to_string(id) +
                ", outside 0.." + std::to_string(kMaxTokenId) + ".");
  }
  if (pending_.size() >= std::size_t(kMaxTokenId)) throw Error(where_ + " has too many tokens.");
  pending_.push_back({std::move(token), static_cast<std::int32_t>(id)});
  max_id_ = std::max(max_id_, id);
}

std::int32_t ModelVocabulary::find_hashed(std::string_view token, std::size_t h) const {
  const std::size_t mask = slots_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot slot = slots_[i];
    if (slot.id < 0) return -1;
    if (slot.tag == tag && tokens_[static_cast<std::size_t>(slot.id)] == token) return slot.id;
  }
}

void ModelVocabulary::find_many(std::span<const std::string_view> tokens,
                                std::span<std::int32_t> ids) const {
  if (slots_.empty()) {
    std::fill(ids.begin(), ids.end(), -1);
    return;
  }
  constexpr std::size_t kGroup = 32;
  std::size_t hashes[kGroup];
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t start = 0; start < tokens.size(); start += kGroup) {
    const std::size_t count = std::min(kGroup, tokens.size() - start);
    // Three passes over the group: hash and fetch the slots, fetch the
    // tokens the first slots name, then the lookups proper (now hits).
    for (std::size_t k = 0; k < count; ++k) {
      hashes[k] = hash(tokens[start + k]);
      __builtin_prefetch(&slots_[hashes[k] & mask]);
    }
    for (std::size_t k = 0; k < count; ++k) {
      const Slot slot = slots_[hashes[k] & mask];
      if (slot.id >= 0) __builtin_prefetch(&tokens_[static_cast<std::size_t>(slot.id)]);
    }
    for (std::size_t k = 0; k < count; ++k) {
      ids[start + k] = find_hashed(tokens[start + k], hashes[k]);
    }
  }
}

void ModelVocabulary::finish() {
  const auto count = static_cast<std::int64_t>(pending_.size());
  // A sparse id space may not cost much more memory than the file.
  if (max_id_ >= 2 * count + 1024) {
    throw Error(where_ + ": token ids are too sparse (the largest is " + std::to_string(max_id_) +
                " for " + std::to_string(count) + " tokens).");
  }
  tokens_.assign(static_cast<std::size_t>(max_id_ + 1), std::string());
  present_.assign(tokens_.size(), false);
  for (Pending& entry : pending_) {
    const auto id = static_cast<std::size_t>(entry.id);
    if (present_[id]) {
      throw Error(where_ + ": id " + std::to_string(id) + " is given to both " +
                  as_json_text(tokens_[id]) + " and " + as_json_text(entry.token) + ".");
    }
    present_[id] = true;
    tokens_[id] = std::move(entry.token);
  }
  pending_ = {};
  count_ = static_cast<std::size_t>(count);
  // At most half full, so probes stay short.
  std::size_t capacity = 16;
  while (capacity < 2 * count_) capacity *= 2;
  slots_.assign(capacity, Slot{0, -1});
  const std::size_t mask = capacity - 1;
  for (std::size_t id = 0; id < tokens_.size(); ++id) {
    if (!present_[id]) continue;
    const std::string& token = tokens_[id];
    const std::size_t h = hash(token);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    std::size_t i = h & mask;
    for (; slots_[i].id >= 0; i = (i + 1) & mask) {
      if (slots_[i].tag == tag && tokens_[static_cast<std::size_t>(slots_[i].id)] == token) {
        throw Error(where_ + ": token " + as_json_text(token) + " appears twice.");
      }
    }
    slots_[i] = Slot{tag, static_cast<std::int32_t>(id)};
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
