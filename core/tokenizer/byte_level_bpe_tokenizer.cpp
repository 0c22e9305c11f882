#include "tokenizer/byte_level_bpe_tokenizer.h"

#include <algorithm>
#include <unordered_set>

#include "tokenizer/byte_unicode.h"
#include "util/error.h"

namespace beamscope {

namespace {

// Ids are array indices, so they are bounded: 16M is ~100x the largest real
// vocabularies, and a sparse id space may not cost more memory than the file.
constexpr std::int64_t kMaxTokenId = (std::int64_t(1) << 24) - 1;

std::string quoted(std::string_view s) {
  // Built by appending: `"'" + std::string(s)` trips a GCC 12 -Wrestrict false positive.
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '\'').append(s).append(1, '\'');
  return out;
}

}  // namespace

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(BpeDefinition def)
    : add_prefix_space_(def.add_prefix_space),
      use_regex_(def.use_regex),
      ignore_merges_(def.ignore_merges) {
  const std::string& src = def.source;
  if (def.vocab.empty()) throw Error(src + ": the vocabulary is empty.");

  // Size the id space first, with every id range-checked.
  std::int64_t max_id = -1;
  const auto check_id = [&](std::int64_t id, std::string_view what) {
    if (id < 0 || id > kMaxTokenId) {
      throw Error(src + ": " + std::string(what) + " has id " + std::to_string(id) +
                  ", outside 0.." + std::to_string(kMaxTokenId) + ".");
    }
    max_id = std::max(max_id, id);
  };
  for (const auto& [spelling, id] : def.vocab) check_id(id, "token " + quoted(spelling));
  for (const auto& added : def.added_tokens)
    check_id(added.id, "added token " + quoted(added.content));
  const std::int64_t count = std::int64_t(def.vocab.size() + def.added_tokens.size());
  if (max_id >= 2 * count + 1024) {
    throw Error(src + ": token ids are too sparse (the largest is " + std::to_string(max_id) +
                " for " + std::to_string(count) + " tokens).");
  }
  tokens_.resize(static_cast<std::size_t>(max_id + 1));

  id_by_spelling_.reserve(def.vocab.size());
  for (auto& [spelling, id64] : def.vocab) {
    const auto id = static_cast<std::int32_t>(id64);
    if (spelling.empty()) throw Error(src + ": the vocabulary contains an empty token.");
    TokenInfo& info = tokens_[id];
    if (info.present) {
      throw Error(src + ": id " + std::to_string(id) + " is given to both " +
                  quoted(info.spelling) + " and " + quoted(spelling) + ".");
    }
    if (!id_by_spelling_.emplace(spelling, id).second) {
      throw Error(src + ": token " + quoted(spelling) + " appears twice in the vocabulary.");
    }
    info.present = true;
    // Spellings outside the byte alphabet stand for their own UTF-8 text, as
    // in HF's ByteLevel decoder.
    info.bytes = vocab_string_to_bytes(spelling).value_or(spelling);
    info.spelling = std::move(spelling);
  }

  for (int b = 0; b < 256; ++b) {
    const std::string spelling = bytes_to_vocab_string(std::string(1, static_cast<char>(b)));
    auto it = id_by_spelling_.find(spelling);
    if (it == id_by_spelling_.end()) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", b);
      throw Error(src + ": the vocabulary has no token " + quoted(spelling) + " for byte " + hex +
                  "; a byte-level BPE vocabulary needs all 256 byte tokens.");
    }
    byte_token_[b] = it->second;
  }

  if (ignore_merges_) {
    for (std::size_t id = 0; id < tokens_.size(); ++id) {
      if (tokens_[id].present) id_by_bytes_.emplace(tokens_[id].bytes, std::int32_t(id));
    }
  }

  const std::string& msrc = def.merges_source.empty() ? src : def.merges_source;
  for (const auto& merge : def.merges) {
    const auto where =
        msrc + ", " + merge.where + ": the merge " + quoted(merge.left + " " + merge.right);
    const auto left = id_by_spelling_.find(merge.left);
    if (left == id_by_spelling_.end()) {
      throw Error(where + " uses " + quoted(merge.left) + ", which is not in the vocabulary.");
    }
    const auto right = id_by_spelling_.find(merge.right);
    if (right == id_by_spelling_.end()) {
      throw Error(where + " uses " + quoted(merge.right) + ", which is not in the vocabulary.");
    }
    // HF tokenizers refuses a merge whose result is not a token (GPT-2's
    // encoder.py would fail later, mid-encode); so do we, at load time.
    const auto merged = id_by_spelling_.find(merge.left + merge.right);
    if (merged == id_by_spelling_.end()) {
      throw Error(where + " makes " + quoted(merge.left + merge.right) +
                  ", which is not in the vocabulary.");
    }
    merges_.add(left->second, right->second, merged->second);
  }

  std::unordered_set<std::string> added_contents;
  for (const auto& added : def.added_tokens) {
    if (added.content.empty()) throw Error(src + ": an added token has empty content.");
    if (!added_contents.insert(added.content).second) {
      throw Error(src + ": added token " + quoted(added.content) + " is listed twice.");
    }
    TokenInfo& info = tokens_[added.id];
    if (info.added) {
      throw Error(src + ": id " + std::to_string(added.id) + " is given to both added tokens " +
                  quoted(info.spelling) + " and " + quoted(added.content) + ".");
    }
    // GPT-2's "<|endoftext|>" is both in the vocabulary and an added token
    // with the same id; a different spelling for the id would be ambiguous.
    if (info.present && info.spelling != added.content) {
      throw Error(src + ": added token " + quoted(added.content) + " has id " +
                  std::to_string(added.id) + ", which the vocabulary gives to " +
                  quoted(info.spelling) + ".");
    }
    if (auto it = id_by_spelling_.find(added.content);
        it != id_by_spelling_.end() && it->second != added.id) {
      throw Error(src + ": added token " + quoted(added.content) + " has id " +
                  std::to_string(added.id) + " but is token " + std::to_string(it->second) +
                  " in the vocabulary.");
    }
    info.present = true;
    info.added = true;
    info.special = added.special;
    info.spelling = added.content;
    info.bytes = added.content;  // added tokens decode to their literal text
    id_by_spelling_.emplace(added.content, added.id);
  }
  added_ = std::make_unique<AddedTokenMatcher>(std::move(def.added_tokens));
}

std::vector<std::int32_t> ByteLevelBpeTokenizer::encode(std::string_view text,
                                                        bool /*add_special_tokens*/) const {
  std::vector<std::int32_t> ids;
  ids.reserve(text.size() / 3 + 1);
  added_->split(
      text, [&](std::string_view plain) { encode_plain(plain, ids); },
      [&](std::int32_t id) { ids.push_back(id); });
  return ids;
}

void ByteLevelBpeTokenizer::encode_plain(std::string_view text,
                                         std::vector<std::int32_t>& ids) const {
  std::string prefixed;
  if (add_prefix_space_ && !text.starts_with(' ')) {
    prefixed.reserve(text.size() + 1);
    prefixed.append(" ").append(text);
    text = prefixed;
  }
  if (!use_regex_) {
    encode_piece(text, ids);
    return;
  }
  pretokenizer_.split(text, [&](std::string_view piece) { encode_piece(piece, ids); });
}

void ByteLevelBpeTokenizer::encode_piece(std::string_view piece,
                                         std::vector<std::int32_t>& ids) const {
  const bool cacheable = piece.size() <= kMaxCachedPiece;
  std::string key;
  if (cacheable) {
    key.assign(piece);
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      ids.insert(ids.end(), it->second.begin(), it->second.end());
      return;
    }
  }

  std::vector<std::int32_t> symbols;
  if (ignore_merges_) {
    // HF's ignore_merges: a piece that is itself a token is taken whole.
    if (auto it = id_by_bytes_.find(std::string(piece)); it != id_by_bytes_.end()) {
      symbols.push_back(it->second);
    }
  }
  if (symbols.empty()) {
    // [piece bytes] -> [one byte token each] -> merged
    symbols.reserve(piece.size());
    for (char c : piece) symbols.push_back(byte_token_[static_cast<unsigned char>(c)]);
    merges_.apply(symbols);
  }
  ids.insert(ids.end(), symbols.begin(), symbols.end());

  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(std::move(key), std::move(symbols));
  }
}

const ByteLevelBpeTokenizer::TokenInfo& ByteLevelBpeTokenizer::checked(std::int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= tokens_.size()) {
    throw Error("Token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                std::to_string(tokens_.size() - 1) + ").");
  }
  const TokenInfo& info = tokens_[static_cast<std::size_t>(id)];
  if (!info.present) {
    throw Error("Token id " + std::to_string(id) + " is unused in this vocabulary.");
  }
  return info;
}

std::string ByteLevelBpeTokenizer::decode(std::span<const std::int32_t> ids) const {
  std::string out;
  for (std::int32_t id : ids) out += checked(id).bytes;
  return out;
}

std::string ByteLevelBpeTokenizer::token_bytes(std::int32_t id) const { return checked(id).bytes; }

std::string ByteLevelBpeTokenizer::token_string(std::int32_t id) const {
  return checked(id).spelling;
}

bool ByteLevelBpeTokenizer::is_special(std::int32_t id) const { return checked(id).special; }

std::optional<std::int32_t> ByteLevelBpeTokenizer::token_id(std::string_view token_text) const {
  auto it = id_by_spelling_.find(std::string(token_text));
  if (it == id_by_spelling_.end()) return std::nullopt;
  return it->second;
}

}  // namespace beamscope
