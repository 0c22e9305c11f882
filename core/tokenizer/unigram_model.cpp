// HF's Unigram model (SentencePiece's): the segmentation of a piece whose
// tokens' log-probabilities ("scores") sum highest, found by Viterbi over
// every vocabulary token that occurs in it.
#include <cmath>
#include <limits>

#include "tokenizer/token_model.h"
#include "tokenizer/utf8.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

namespace {

// A character no token covers costs this much below the worst token (HF's
// and SentencePiece's kUnkPenalty).
constexpr double kUnknownPenalty = 10.0;

class UnigramModel final : public TokenModel {
 public:
  UnigramModel(const json& part, const std::string& where);
  void tokenize(std::string_view piece, std::vector<std::int32_t>& ids) const override;

 private:
  void emit(std::string_view text, std::vector<std::int32_t>& ids) const;

  std::vector<double> scores_;  // by id
  std::optional<std::int32_t> unk_id_;
  std::vector<std::int32_t> byte_ids_;  // "<0xNN>" tokens, for byte_fallback
  std::size_t max_token_bytes_ = 1;
  double unknown_score_ = -kUnknownPenalty;
};

UnigramModel::UnigramModel(const json& part, const std::string& where)
    : TokenModel(where + ".vocab") {
  const json& vocab = member(part, "vocab", where);
  if (!vocab.is_array()) throw Error(where + ".vocab must be an array of [token, score] pairs.");
  vocab_.reserve(vocab.size());
  scores_.reserve(vocab.size());
  double min_score = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const json& entry = vocab[i];
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number() ||
        !std::isfinite(entry[1].get<double>())) {
      throw Error(where + ".vocab[" + std::to_string(i) +
                  "] must be a [token, score] pair with a finite score.");
    }
    const std::string& token = entry[0].get_ref<const std::string&>();
    if (token.empty()) throw Error(where + ".vocab[" + std::to_string(i) + "] is empty.");
    max_token_bytes_ = std::max(max_token_bytes_, token.size());
    vocab_.add(token, static_cast<std::int64_t>(i));
    scores_.push_back(entry[1].get<double>());
    min_score = std::min(min_score, scores_.back());
  }
  vocab_.finish();
  if (!scores_.empty()) unknown_score_ = min_score - kUnknownPenalty;
  if (auto unk = part.find("unk_id"); unk != part.end() && !unk->is_null()) {
    unk_id_ = token_id_value(*unk, where + ".unk_id");
    if (static_cast<std::size_t>(*unk_id_) >= scores_.size()) {
      throw Error(where + ".unk_id " + std::to_string(*unk_id_) + " is not in the vocabulary.");
    }
  }
  if (bool_member(part, "byte_fallback", false, where)) byte_ids_ = byte_fallback_ids(vocab_);
}

void UnigramModel::tokenize(std::string_view piece, std::vector<std::int32_t>& ids) const {
  // best[end]: the best-scoring segmentation of piece[0, end), as the token
  // that ends it (-1: an unknown character) and where that token starts.
  // Ties keep the first found, i.e. the token that starts earliest, as HF's
  // lattice does.
  struct Best {
    double score;
    std::size_t start;
    std::int32_t id;
    bool reached;
  };
  std::vector<Best> best(piece.size() + 1, Best{0.0, 0, -1, false});
  best[0].reached = true;
  const auto offer = [&](std::size_t start, std::size_t end, double score, std::int32_t id) {
    const double total = best[start].score + score;
    if (!best[end].reached || total > best[end].score) best[end] = {total, start, id, true};
  };
  std::size_t start = 0;
  while (start < piece.size()) {
    std::size_t char_length = utf8::valid_char_length(piece, start);
    if (char_length == 0) char_length = 1;
    bool single_char_token = false;
    if (best[start].reached) {
      for (std::size_t end = start + 1; end <= piece.size() && end - start <= max_token_bytes_;
           ++end) {
        if (end < piece.size() && (static_cast<unsigned char>(piece[end]) & 0xC0) == 0x80) {
          continue;  // not a character boundary
        }
        if (auto id = vocab_.find(piece.substr(start, end - start))) {
          offer(start, end, scores_[static_cast<std::size_t>(*id)], *id);
          single_char_token = single_char_token || end - start == char_length;
        }
      }
      if (!single_char_token) offer(start, start + char_length, unknown_score_, -1);
    }
    start += char_length;
  }
  // Walk back, then emit in order; runs of unknown characters fuse into one.
  std::vector<std::pair<std::size_t, std::size_t>> path;  // [start, end), id via best
  for (std::size_t end = piece.size(); end > 0; end = best[end].start) {
    path.emplace_back(best[end].start, end);
  }
  std::size_t unknown_start = 0;
  bool in_unknown = false;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    const auto [from, to] = *it;
    const std::int32_t id = best[to].id;
    if (id < 0 || (unk_id_ && id == *unk_id_)) {
      if (!in_unknown) unknown_start = from;
      in_unknown = true;
      continue;
    }
    if (in_unknown) emit(piece.substr(unknown_start, from - unknown_start), ids);
    in_unknown = false;
    ids.push_back(id);
  }
  if (in_unknown) emit(piece.substr(unknown_start), ids);
}

// A fused run of unknown text: a token if it happens to be one, else its
// bytes (byte_fallback) or the unknown token.
void UnigramModel::emit(std::string_view text, std::vector<std::int32_t>& ids) const {
  if (auto id = vocab_.find(text)) {
    ids.push_back(*id);
    return;
  }
  if (!byte_ids_.empty()) {
    bool all = true;
    for (char c : text) all = all && byte_ids_[static_cast<unsigned char>(c)] >= 0;
    if (all) {
      for (char c : text) ids.push_back(byte_ids_[static_cast<unsigned char>(c)]);
      return;
    }
  }
  if (unk_id_) ids.push_back(*unk_id_);
}

}  // namespace

std::unique_ptr<TokenModel> read_unigram_model(const json& part, const std::string& where) {
  return std::make_unique<UnigramModel>(part, where);
}

}  // namespace beamscope::hf
