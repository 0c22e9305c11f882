// HF's BPE model: every character of a piece starts as its own token (or,
// when the vocabulary lacks it, as byte tokens or the unknown token), then
// merges apply lowest rank first.
#include <mutex>
#include <unordered_map>

#include "tokenizer/bpe_merges.h"
#include "tokenizer/token_model.h"
#include "tokenizer/utf8.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

namespace {

std::string as_json_text(const std::string& s) { return json_value_for_message(json(s)); }

class BpeModel final : public TokenModel {
 public:
  BpeModel(const json& part, const std::string& where);
  void tokenize(std::string_view piece, std::vector<std::int32_t>& ids) const override;

 private:
  void read_merges(const json& merges, const std::string& where);
  void initial_symbols(std::string_view piece, std::vector<std::int32_t>& symbols) const;

  BpeMerges merges_;
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

BpeModel::BpeModel(const json& part, const std::string& where) : TokenModel(where + ".vocab") {
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
  if (auto unk = string_member(part, "unk_token", where)) {
    unk_id_ = vocab_.find(*unk);
    if (!unk_id_)
      throw Error(where + ".unk_token " + as_json_text(*unk) + " is not in the vocabulary.");
  }
  if (byte_fallback_) byte_ids_ = byte_fallback_ids(vocab_);
  read_merges(member(part, "merges", where), where + ".merges");
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
    const auto left_id = vocab_.find(left);
    const auto right_id = vocab_.find(right);
    if (!left_id || !right_id) {
      throw Error(place() + " uses " + as_json_text(left_id ? right : left) +
                  ", which is not in the vocabulary.");
    }
    // The right part carries the subword prefix, which the merged token drops.
    if (!right.starts_with(prefix_)) {
      throw Error(place() + ": " + as_json_text(right) +
                  " does not start with the subword prefix " + as_json_text(prefix_) + ".");
    }
    merged.assign(left).append(right, prefix_.size());
    const auto merged_id = vocab_.find(merged);
    if (!merged_id) {
      throw Error(place() + " makes " + as_json_text(merged) + ", which is not in the vocabulary.");
    }
    merges_.add(*left_id, *right_id, *merged_id);
  }
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

std::unique_ptr<TokenModel> read_bpe_model(const json& part, const std::string& where) {
  return std::make_unique<BpeModel>(part, where);
}

}  // namespace beamscope::hf
