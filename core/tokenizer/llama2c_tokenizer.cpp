#include "tokenizer/llama2c_tokenizer.h"

#include <array>
#include <cstdio>
#include <queue>

#include "tokenizer/byte_piece.h"
#include "tokenizer/llama2c_vocab.h"
#include "tokenizer/piece_lookup.h"
#include "util/error.h"

namespace beamscope {
namespace {

constexpr std::int32_t kUnk = 0;
constexpr std::int32_t kBos = 1;
constexpr std::int32_t kEos = 2;

// llama2.c starts its search for the best pair at this score and takes only
// strictly better ones, so a piece scored at or below it is never merged into.
constexpr float kNoMergeScore = -1e10f;

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

class Llama2cTokenizer final : public Tokenizer {
 public:
  Llama2cTokenizer(Llama2cVocab vocab, const std::string& name);

  // add_special_tokens puts BOS in front, as llama2.c encodes a prompt.
  std::vector<std::int32_t> encode(std::string_view text,
                                   bool add_special_tokens = true) const override;
  std::string decode(std::span<const std::int32_t> ids) const override;
  std::string token_bytes(std::int32_t id) const override { return checked(id).bytes; }
  int vocab_size() const override { return static_cast<int>(tokens_.size()); }
  std::optional<std::int32_t> token_id(std::string_view token_text) const override {
    return spelling_ids_.find(token_text);
  }
  std::string token_string(std::int32_t id) const override { return checked(id).spelling; }
  bool is_special(std::int32_t id) const override { return checked(id).special; }

 private:
  struct TokenInfo {
    std::string piece;     // as the file stores it (" the", "<0x0A>", "\n<s>\n")
    std::string bytes;     // what it contributes to text (" the", "\n", "<s>")
    std::string spelling;  // SentencePiece's ("▁the", "<0x0A>", "<s>")
    float score = 0;
    bool special = false;
  };
  // One symbol of the text being merged. `in_text` symbols are the bytes
  // work[start, start + length) and their piece equals those bytes; byte
  // fallback symbols (and whatever they merge into) are not.
  struct Symbol {
    std::int32_t id;
    std::uint32_t start;
    std::uint32_t length;
    bool in_text;
  };

  const TokenInfo& checked(std::int32_t id) const {
    if (id < 0 || id >= vocab_size()) {
      throw Error("Token id " + std::to_string(id) + " is outside the vocabulary of " +
                  std::to_string(vocab_size()) + " tokens.");
    }
    return tokens_[static_cast<std::size_t>(id)];
  }
  void push_characters(std::string_view work, std::vector<Symbol>& symbols) const;
  std::optional<std::int32_t> pair_id(std::string_view work, const Symbol& left,
                                      const Symbol& right) const;
  void merge(std::string_view work, std::vector<Symbol>& symbols) const;

  std::vector<TokenInfo> tokens_;
  PieceLookup piece_ids_;     // file piece -> lowest id with it
  PieceLookup spelling_ids_;  // SentencePiece spelling -> lowest id with it
  std::array<std::int32_t, 256> byte_ids_{};
};

Llama2cTokenizer::Llama2cTokenizer(Llama2cVocab vocab, const std::string& name) {
  const std::size_t n = vocab.pieces.size();
  if (n < 3) {
    throw Error(name + " has " + std::to_string(n) +
                " tokens; a llama2.c tokenizer needs at least <unk>, BOS and EOS (ids 0, 1, 2).");
  }
  tokens_.resize(n);
  std::array<bool, 256> have_byte{};
  for (std::size_t i = 0; i < n; ++i) {
    TokenInfo& t = tokens_[i];
    t.piece = std::move(vocab.pieces[i]);
    t.score = vocab.scores[i];
    const auto id = static_cast<std::int32_t>(i);
    if (id == kBos || id == kEos) {
      // llama2.c's exporter writes them as "\n<s>\n" and "\n</s>\n".
      std::string_view core = t.piece;
      while (!core.empty() && core.front() == '\n') core.remove_prefix(1);
      while (!core.empty() && core.back() == '\n') core.remove_suffix(1);
      t.bytes = t.spelling = std::string(core);
      t.special = true;
    } else if (auto byte = byte_piece_value(t.piece)) {
      t.bytes = std::string(1, static_cast<char>(*byte));
      t.spelling = t.piece;
      if (!have_byte[*byte]) byte_ids_[*byte] = id;
      have_byte[*byte] = true;
    } else {
      t.bytes = t.piece;
      // The exporter replaced SentencePiece's "▁" with a space; undo it for
      // the spelling users compare with SentencePiece / Hugging Face.
      for (char c : t.piece)
        t.spelling += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
      t.special = id == kUnk && t.piece == "<unk>";
    }
    piece_ids_.insert_if_absent(t.piece, id);
    spelling_ids_.insert_if_absent(t.spelling, id);
  }
  for (int b = 0; b < 256; ++b) {
    if (!have_byte[b]) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "<0x%02X>", b);
      throw Error(name + " has no " + hex +
                  " piece; llama2.c's encoder spells unknown characters with all 256 byte "
                  "pieces.");
    }
  }
}

// llama2.c groups the text into UTF-8 characters without checking them: a
// byte that is not a continuation byte starts a new group, continuation
// bytes join the current one up to 4 bytes. A group that is a piece becomes
// that token, any other group becomes one byte piece per byte.
void Llama2cTokenizer::push_characters(std::string_view work, std::vector<Symbol>& symbols) const {
  std::size_t group_start = 1;  // work[0] is the dummy-prefix space
  std::size_t group_length = 0;
  for (std::size_t pos = 1; pos < work.size(); ++pos) {
    if (!is_continuation_byte(work[pos]) || group_length == 0) {
      group_start = pos;
      group_length = 0;
    }
    ++group_length;
    const bool next_continues = pos + 1 < work.size() && is_continuation_byte(work[pos + 1]);
    if (next_continues && group_length < 4) continue;
    const std::string_view group = work.substr(group_start, group_length);
    if (auto id = piece_ids_.find(group)) {
      symbols.push_back({*id, static_cast<std::uint32_t>(group_start),
                         static_cast<std::uint32_t>(group_length), true});
    } else {
      for (std::size_t i = 0; i < group_length; ++i) {
        const auto byte = static_cast<std::uint8_t>(group[i]);
        symbols.push_back({byte_ids_[byte], static_cast<std::uint32_t>(group_start + i), 1, false});
      }
    }
    group_length = 0;
  }
}

std::optional<std::int32_t> Llama2cTokenizer::pair_id(std::string_view work, const Symbol& left,
                                                      const Symbol& right) const {
  if (left.in_text && right.in_text) {
    return piece_ids_.find(work.substr(left.start, left.length + right.length));
  }
  // A byte piece is spelled "<0xNN>" in the vocabulary; llama2.c looks up the
  // spellings' concatenation, which a real vocabulary never has.
  return piece_ids_.find(tokens_[left.id].piece + tokens_[right.id].piece);
}

// Equivalent to llama2.c's loop (scan all pairs, merge the best, repeat) in
// O(n log n): a heap of candidate pairs, best score first and leftmost on
// ties, over a linked list of symbols; stale candidates are skipped.
void Llama2cTokenizer::merge(std::string_view work, std::vector<Symbol>& symbols) const {
  const auto n = static_cast<std::int32_t>(symbols.size());
  std::vector<std::int32_t> prev(n), next(n);
  for (std::int32_t i = 0; i < n; ++i) {
    prev[i] = i - 1;
    next[i] = i + 1 < n ? i + 1 : -1;
  }
  struct Candidate {
    float score;
    std::int32_t left_pos;
    std::int32_t left_id;
    std::int32_t right_id;
    std::int32_t merged_id;
    bool operator<(const Candidate& o) const {  // "worse than", for the max-heap
      return score != o.score ? score < o.score : left_pos > o.left_pos;
    }
  };
  std::priority_queue<Candidate> heap;
  const auto push = [&](std::int32_t left_pos) {
    if (left_pos < 0 || next[left_pos] < 0) return;
    const Symbol& left = symbols[left_pos];
    const Symbol& right = symbols[next[left_pos]];
    if (auto id = pair_id(work, left, right)) {
      const float score = tokens_[*id].score;
      if (score > kNoMergeScore) heap.push({score, left_pos, left.id, right.id, *id});
    }
  };
  for (std::int32_t i = 0; i + 1 < n; ++i) push(i);
  constexpr std::int32_t kDead = -1;
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    Symbol& left = symbols[c.left_pos];
    const std::int32_t right_pos = next[c.left_pos];
    if (left.id != c.left_id || right_pos < 0 || symbols[right_pos].id != c.right_id) continue;
    Symbol& right = symbols[right_pos];
    left.in_text = left.in_text && right.in_text;
    left.length += right.length;
    left.id = c.merged_id;
    right.id = kDead;
    next[c.left_pos] = next[right_pos];
    if (next[right_pos] >= 0) prev[next[right_pos]] = c.left_pos;
    push(prev[c.left_pos]);
    push(c.left_pos);
  }
  std::size_t out = 0;
  for (std::int32_t i = n > 0 ? 0 : -1; i >= 0; i = next[i]) symbols[out++] = symbols[i];
  symbols.resize(out);
}

std::vector<std::int32_t> Llama2cTokenizer::encode(std::string_view text,
                                                   bool add_special_tokens) const {
  std::vector<std::int32_t> ids;
  if (add_special_tokens) ids.push_back(kBos);
  if (text.empty()) return ids;
  if (text.size() >= UINT32_MAX) throw Error("The text is too long to tokenize (4 GB or more).");
  // SentencePiece's dummy prefix: llama2.c always adds the " " piece first.
  std::string work;
  work.reserve(text.size() + 1);
  work += ' ';
  work += text;
  std::vector<Symbol> symbols;
  symbols.reserve(work.size());
  if (auto space = piece_ids_.find(" ")) {
    symbols.push_back({*space, 0, 1, true});
  } else {
    symbols.push_back({byte_ids_[' '], 0, 1, false});
  }
  push_characters(work, symbols);
  merge(work, symbols);
  ids.reserve(ids.size() + symbols.size());
  for (const Symbol& s : symbols) ids.push_back(s.id);
  return ids;
}

std::string Llama2cTokenizer::decode(std::span<const std::int32_t> ids) const {
  std::string out;
  // The dummy-prefix space encode() put before the text goes again: from the
  // first piece (as SentencePiece's decoder drops it) and from a piece after
  // BOS (as llama2.c's decode() does), so decode(encode(x)) == x.
  bool at_start = true;
  for (std::int32_t id : ids) {
    std::string_view bytes = checked(id).bytes;
    if (at_start && !bytes.empty() && bytes.front() == ' ') bytes.remove_prefix(1);
    out += bytes;
    at_start = id == kBos;
  }
  return out;
}

}  // namespace

std::unique_ptr<Tokenizer> parse_llama2c_tokenizer(std::string_view bytes,
                                                   const std::string& name) {
  return std::make_unique<Llama2cTokenizer>(parse_llama2c_vocab(bytes, name), name);
}

std::unique_ptr<Tokenizer> load_llama2c_tokenizer(const std::filesystem::path& file) {
  return std::make_unique<Llama2cTokenizer>(read_llama2c_vocab(file), file.string());
}

}  // namespace beamscope
