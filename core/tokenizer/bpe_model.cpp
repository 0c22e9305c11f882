// HF's BPE model: every character of a piece starts as its own token (or,
// when the vocabulary lacks it, as byte tokens or the unknown token), then
// merges apply lowest rank first.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "tokenizer/bpe_json_bulk.h"
#include "tokenizer/bpe_merges.h"
#include "tokenizer/metaspace_cuts.h"
#include "tokenizer/token_model.h"
#include "tokenizer/utf8.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

namespace {

std::string as_json_text(const std::string& s) { return json_value_for_message(json(s)); }

class BpeModel final : public TokenModel {
 public:
  BpeModel(const json& part, const std::string& where, const BpeBulkParts* bulk);
  void tokenize(std::string_view piece, std::vector<std::int32_t>& ids) const override;

 private:
  void read_vocab(const json& part, const std::string& where, const BpeBulkParts* bulk);
  void read_merges(const json& merges, const std::string& where);
  void read_bulk_merges(const BpeBulkParts& bulk, const std::string& where);
  // Adds merge number `index` after checking its parts against the vocabulary.
  void add_merge(std::size_t index, std::string_view left, std::string_view right,
                 const std::string& where, std::string& merged);
  // The same with the parts already looked up (`merged` is left + right
  // without the subword prefix).
  void add_checked_merge(std::size_t index, std::string_view left, std::string_view right,
                         std::optional<std::int32_t> left_id, std::optional<std::int32_t> right_id,
                         const std::string& merged, std::optional<std::int32_t> merged_id,
                         const std::string& where);
  void initial_symbols(std::string_view piece, std::vector<std::int32_t>& symbols) const;
  // tokenize() for one piece or one part of a long piece cut by cuts_.
  void tokenize_part(std::string_view piece, std::vector<std::int32_t>& ids) const;

  BpeMerges merges_;
  std::optional<MetaspaceCuts> cuts_;  // for long pieces, where exact (see metaspace_cuts.h)
  std::optional<std::int32_t> unk_id_;
  std::vector<std::int32_t> byte_ids_;  // "<0xNN>" tokens, for byte_fallback
  std::string prefix_, suffix_;         // continuing_subword_prefix, end_of_word_suffix
  bool byte_fallback_ = false;
  bool fuse_unk_ = false;
  bool ignore_merges_ = false;

  // piece -> ids; cleared when full so a long session cannot grow it.
  static constexpr std::size_t kCacheCapacity = 20000;
  static constexpr std::size_t kMaxCachedPiece = 256;
  mutable std::mutex cache_mutex_;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::unordered_map<std::string, std::vector<std::int32_t>, Hash, std::equal_to<>> cache_;
};

BpeModel::BpeModel(const json& part, const std::string& where, const BpeBulkParts* bulk)
    : TokenModel(where + ".vocab") {
  if (auto dropout = part.find("dropout"); dropout != part.end() && !dropout->is_null()) {
    if (!dropout->is_number() || dropout->get<double>() != 0.0) {
      throw Error(where + ".dropout makes tokenization random and is not supported.");
    }
  }
  prefix_ = string_member(part, "continuing_subword_prefix", where).value_or("");
  suffix_ = string_member(part, "end_of_word_suffix", where).value_or("");
  byte_fallback_ = bool_member(part, "byte_fallback", false, where);
  fuse_unk_ = bool_member(part, "fuse_unk", false, where);
  ignore_merges_ = bool_member(part, "ignore_merges", false, where);

  read_vocab(part, where, bulk);
  if (auto unk = string_member(part, "unk_token", where)) {
    unk_id_ = vocab_.find(*unk);
    if (!unk_id_)
      throw Error(where + ".unk_token " + as_json_text(*unk) + " is not in the vocabulary.");
  }
  if (byte_fallback_) byte_ids_ = byte_fallback_ids(vocab_);
  if (bulk != nullptr && bulk->has_merges) {
    read_bulk_merges(*bulk, where + ".merges");
  } else {
    read_merges(member(part, "merges", where), where + ".merges");
  }
  if (prefix_.empty() && suffix_.empty() && !ignore_merges_) cuts_.emplace(vocab_);
}

void BpeModel::read_vocab(const json& part, const std::string& where, const BpeBulkParts* bulk) {
  if (bulk != nullptr && bulk->has_vocab) {
    vocab_.reserve(bulk->vocab.size());
    for (const BpeBulkParts::VocabEntry& entry : bulk->vocab) {
      if (entry.token.length == 0) throw Error(where + ".vocab contains an empty token.");
      vocab_.add(std::string(bulk->text(entry.token)), entry.id);
    }
    vocab_.finish();
    return;
  }
  const json& vocab = member(part, "vocab", where);
  if (!vocab.is_object()) throw Error(where + ".vocab must be an object mapping tokens to ids.");
  vocab_.reserve(vocab.size());
  for (const auto& item : vocab.items()) {
    // Named copies, not a structured binding: clang before 16 cannot
    // capture a binding in the lambda below.
    const std::string& token = item.key();
    const json& id = item.value();
    if (token.empty()) throw Error(where + ".vocab contains an empty token.");
    vocab_.add(token, token_id_value_at(
                          id, [&] { return where + ".vocab[" + as_json_text(token) + "]"; }));
  }
  vocab_.finish();
}

void BpeModel::read_bulk_merges(const BpeBulkParts& bulk, const std::string& where) {
  merges_.reserve(bulk.merges.size());
  // In groups, so the vocabulary lookups of a group overlap (find_many).
  constexpr std::size_t kGroup = 64;
  std::string merged[kGroup];
  std::string_view parts[3 * kGroup];
  std::int32_t ids[3 * kGroup];
  for (std::size_t start = 0; start < bulk.merges.size(); start += kGroup) {
    const std::size_t count = std::min(kGroup, bulk.merges.size() - start);
    for (std::size_t k = 0; k < count; ++k) {
      const BpeBulkParts::Merge& merge = bulk.merges[start + k];
      const std::string_view left = bulk.text(merge.left), right = bulk.text(merge.right);
      merged[k].assign(left);
      if (right.starts_with(prefix_)) merged[k].append(right.substr(prefix_.size()));
      parts[3 * k] = left;
      parts[3 * k + 1] = right;
      parts[3 * k + 2] = merged[k];
    }
    vocab_.find_many({parts, 3 * count}, {ids, 3 * count});
    for (std::size_t k = 0; k < count; ++k) {
      if (ids[3 * k] >= 0 && ids[3 * k + 1] >= 0) merges_.prefetch(ids[3 * k], ids[3 * k + 1]);
    }
    for (std::size_t k = 0; k < count; ++k) {
      const auto id = [&](std::size_t j) {
        const std::int32_t found = ids[3 * k + j];
        return found < 0 ? std::nullopt : std::optional<std::int32_t>(found);
      };
      add_checked_merge(start + k, parts[3 * k], parts[3 * k + 1], id(0), id(1), merged[k], id(2),
                        where);
    }
  }
}

void BpeModel::read_merges(const json& merges, const std::string& where) {
  if (!merges.is_array()) throw Error(where + " must be an array.");
  merges_.reserve(merges.size());
  std::string left, right, merged;
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const json& merge = merges[i];
    // Built only for an error: half a million merges load in the time of a
    // few string allocations each.
    const auto place = [&] { return where + "[" + std::to_string(i) + "]"; };
    if (merge.is_string()) {
      // Older form: "left right", split at the one space.
      const std::string& text = merge.get_ref<const std::string&>();
      const std::size_t space = text.find(' ');
      if (space == 0 || space == std::string::npos || space + 1 == text.size() ||
          text.find(' ', space + 1) != std::string::npos) {
        throw Error(place() + " must be two tokens separated by one space, not " +
                    as_json_text(text) + ".");
      }
      left.assign(text, 0, space);
      right.assign(text, space + 1);
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
               merge[1].is_string()) {
      left = merge[0].get_ref<const std::string&>();  // newer form: ["left", "right"]
      right = merge[1].get_ref<const std::string&>();
    } else {
      throw Error(place() + " must be a \"left right\" string or a pair of strings.");
    }
    add_merge(i, left, right, where, merged);
  }
}

void BpeModel::add_merge(std::size_t index, std::string_view left, std::string_view right,
                         const std::string& where, std::string& merged) {
  merged.assign(left);
  if (right.starts_with(prefix_)) merged.append(right.substr(prefix_.size()));
  add_checked_merge(index, left, right, vocab_.find(left), vocab_.find(right), merged,
                    vocab_.find(merged), where);
}

void BpeModel::add_checked_merge(std::size_t index, std::string_view left, std::string_view right,
                                 std::optional<std::int32_t> left_id,
                                 std::optional<std::int32_t> right_id, const std::string& merged,
                                 std::optional<std::int32_t> merged_id, const std::string& where) {
  const auto place = [&] { return where + "[" + std::to_string(index) + "]"; };
  if (!left_id || !right_id) {
    throw Error(place() + " uses " + as_json_text(std::string(left_id ? right : left)) +
                ", which is not in the vocabulary.");
  }
  // The right part carries the subword prefix, which the merged token drops.
  if (!right.starts_with(prefix_)) {
    throw Error(place() + ": " + as_json_text(std::string(right)) +
                " does not start with the subword prefix " + as_json_text(prefix_) + ".");
  }
  if (!merged_id) {
    throw Error(place() + " makes " + as_json_text(merged) + ", which is not in the vocabulary.");
  }
  merges_.add(*left_id, *right_id, *merged_id);
}

void BpeModel::initial_symbols(std::string_view piece, std::vector<std::int32_t>& symbols) const {
  // As HF's merge_word, including its order: a pending unknown token is
  // written out before the next known character, not before byte tokens.
  std::int32_t pending_unk = -1;  // an unknown token not yet written out
  std::string spelled;
  std::size_t pos = 0;
  while (pos < piece.size()) {
    std::size_t length = utf8::valid_char_length(piece, pos);
    if (length == 0) length = 1;
    const bool first = pos == 0, last = pos + length == piece.size();
    std::string_view s = piece.substr(pos, length);
    if ((!first && !prefix_.empty()) || (last && !suffix_.empty())) {
      spelled.assign(first ? "" : prefix_).append(s).append(last ? suffix_ : "");
      s = spelled;
    }
    pos += length;
    if (auto id = vocab_.find(s)) {
      if (pending_unk >= 0) symbols.push_back(pending_unk);
      pending_unk = -1;
      symbols.push_back(*id);
      continue;
    }
    if (!byte_ids_.empty()) {
      bool all = true;
      for (char c : s) all = all && byte_ids_[static_cast<unsigned char>(c)] >= 0;
      if (all) {
        for (char c : s) symbols.push_back(byte_ids_[static_cast<unsigned char>(c)]);
        continue;
      }
    }
    if (!unk_id_) continue;  // HF drops a character it has no token for
    if (pending_unk >= 0 && !fuse_unk_) symbols.push_back(pending_unk);
    pending_unk = *unk_id_;
  }
  if (pending_unk >= 0) symbols.push_back(pending_unk);
}

void BpeModel::tokenize(std::string_view piece, std::vector<std::int32_t>& ids) const {
  // Short pieces are cached whole; a long one (a whole text, when there is no
  // pre-tokenizer) is cut into words that the cache then serves.
  if (cuts_ && piece.size() > kMaxCachedPiece) {
    std::vector<std::string_view> parts;
    cuts_->split(piece, parts);
    for (std::string_view part : parts) tokenize_part(part, ids);
    return;
  }
  tokenize_part(piece, ids);
}

void BpeModel::tokenize_part(std::string_view piece, std::vector<std::int32_t>& ids) const {
  if (ignore_merges_) {
    // A piece that is itself a token is taken whole.
    if (auto id = vocab_.find(piece)) {
      ids.push_back(*id);
      return;
    }
  }
  const bool cacheable = piece.size() <= kMaxCachedPiece;
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(piece); it != cache_.end()) {
      ids.insert(ids.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<std::int32_t> symbols;
  symbols.reserve(piece.size());
  initial_symbols(piece, symbols);
  merges_.apply(symbols);
  ids.insert(ids.end(), symbols.begin(), symbols.end());
  if (cacheable) {
    std::lock_guard lock(cache_mutex_);
    if (cache_.size() >= kCacheCapacity) cache_.clear();
    cache_.emplace(std::string(piece), std::move(symbols));
  }
}

}  // namespace

std::unique_ptr<TokenModel> read_bpe_model(const json& part, const std::string& where,
                                           const BpeBulkParts* bulk) {
  return std::make_unique<BpeModel>(part, where, bulk);
}

}  // namespace beamscope::hf
