#include "tokenizer/added_tokens.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>

#include "tokenizer/utf8.h"
#include "util/error.h"

namespace beamscope {

namespace {

bool is_white_space(char32_t c) {
  // Unicode White_Space, as Rust's char::is_whitespace that HF uses.
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Start of the character that ends at `end` (exclusive), or nullopt if the
// bytes before `end` do not end in a well-formed character.
std::optional<std::size_t> previous_char_start(std::string_view text, std::size_t end) {
  for (std::size_t back = 1; back <= 4 && back <= end; ++back) {
    const std::size_t start = end - back;
    if (utf8::valid_char_length(text, start) == back) return start;
  }
  return std::nullopt;
}

}  // namespace

// The tokens of one pass in a byte trie, so a scan position finds its
// longest match in one walk: Gemma 3 has 6,322 added tokens that start with
// '<', and trying each at every '<' of a text was most of its encode time.
struct AddedTokenMatcher::Pass {
  struct Node {
    std::int32_t token = -1;  // index into tokens_ of the token ending here
    std::vector<std::pair<unsigned char, std::int32_t>> children;  // sorted by byte
  };
  std::vector<Node> nodes{Node{}};  // nodes[0] is the root
  std::size_t count = 0;

  std::int32_t child(std::int32_t node, unsigned char byte) const {
    const auto& children = nodes[static_cast<std::size_t>(node)].children;
    auto it = std::lower_bound(children.begin(), children.end(), byte,
                               [](const auto& entry, unsigned char b) { return entry.first < b; });
    return it != children.end() && it->first == byte ? it->second : -1;
  }

  void add(const std::string& content, std::size_t index) {
    std::int32_t node = 0;
    for (char c : content) {
      const auto byte = static_cast<unsigned char>(c);
      std::int32_t next = child(node, byte);
      if (next < 0) {
        next = static_cast<std::int32_t>(nodes.size());
        nodes.emplace_back();
        auto& children = nodes[static_cast<std::size_t>(node)].children;
        auto it =
            std::lower_bound(children.begin(), children.end(), byte,
                             [](const auto& entry, unsigned char b) { return entry.first < b; });
        children.insert(it, {byte, next});
      }
      node = next;
    }
    nodes[static_cast<std::size_t>(node)].token = static_cast<std::int32_t>(index);
    ++count;
  }

  // The index of the longest token `text` starts with at `pos`, or -1.
  std::int32_t longest_at(std::string_view text, std::size_t pos) const {
    std::int32_t found = -1;
    std::int32_t node = 0;
    for (std::size_t i = pos; i < text.size(); ++i) {
      node = child(node, static_cast<unsigned char>(text[i]));
      if (node < 0) break;
      if (nodes[static_cast<std::size_t>(node)].token >= 0) {
        found = nodes[static_cast<std::size_t>(node)].token;
      }
    }
    return found;
  }
};

// Unicode word characters for single_word (letters, digits, marks,
// connector punctuation such as '_'), via PCRE2's Unicode tables.
struct AddedTokenMatcher::WordClass {
  pcre2_code* code = nullptr;
  ~WordClass() { pcre2_code_free(code); }
  bool matches(std::string_view one_char) const {
    pcre2_match_data* match = pcre2_match_data_create_from_pattern(code, nullptr);
    if (match == nullptr) throw std::bad_alloc();
    const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(one_char.data()), one_char.size(),
                               0, PCRE2_ANCHORED, match, nullptr);
    pcre2_match_data_free(match);
    return rc >= 0;
  }
};

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
  for (int normalized = 0; normalized < 2; ++normalized) {
    auto pass = std::make_unique<Pass>();
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (tokens_[i].content.empty()) throw Error("Internal error: an added token is empty.");
      if (tokens_[i].normalized != (normalized == 1)) continue;
      pass->add(tokens_[i].content, i);
    }
    passes_.push_back(std::move(pass));
  }
  const bool any_single_word = std::any_of(tokens_.begin(), tokens_.end(),
                                           [](const AddedToken& t) { return t.single_word; });
  if (any_single_word) {
    word_class_ = std::make_unique<WordClass>();
    int error = 0;
    PCRE2_SIZE offset = 0;
    const char* pattern = R"([\p{L}\p{N}\p{M}\p{Pc}])";
    word_class_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED,
                                      PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
    if (word_class_->code == nullptr) {
      throw Error("Internal error: the word-character pattern does not compile.");
    }
  }
}

AddedTokenMatcher::~AddedTokenMatcher() = default;

void AddedTokenMatcher::split(std::string_view text,
                              const std::function<void(std::string_view)>& plain,
                              const std::function<void(std::int32_t)>& token) const {
  if (tokens_.empty()) {
    if (!text.empty()) plain(text);
    return;
  }
  // Pass 0 (normalized=false) runs on the whole text; what it leaves as plain
  // text goes through pass 1.
  split_pass(
      0, text, [&](std::string_view rest) { split_pass(1, rest, plain, token); }, token);
}

bool AddedTokenMatcher::touches_word(std::string_view text, std::size_t start,
                                     std::size_t end) const {
  if (start > 0) {
    if (auto prev = previous_char_start(text, start)) {
      if (word_class_->matches(text.substr(*prev, start - *prev))) return true;
    }
  }
  if (end < text.size()) {
    const std::size_t length = utf8::valid_char_length(text, end);
    if (length > 0 && word_class_->matches(text.substr(end, length))) return true;
  }
  return false;
}

void AddedTokenMatcher::split_pass(std::size_t pass_index, std::string_view text,
                                   const std::function<void(std::string_view)>& plain,
                                   const std::function<void(std::int32_t)>& token) const {
  const Pass& pass = *passes_[pass_index];
  if (pass.count == 0) {
    if (!text.empty()) plain(text);
    return;
  }
  std::size_t emitted = 0;  // text before this offset has been handed out
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::int32_t index = pass.longest_at(text, pos);
    if (index < 0) {
      ++pos;
      continue;
    }
    const AddedToken* found = &tokens_[static_cast<std::size_t>(index)];
    std::size_t start = pos;
    std::size_t stop = pos + found->content.size();
    if (found->single_word && touches_word(text, start, stop)) {
      pos = stop;  // HF drops the match and scans on after it
      continue;
    }
    if (found->lstrip) {
      while (start > emitted) {
        auto prev = previous_char_start(text, start);
        if (!prev) break;
        const auto length = start - *prev;
        if (!is_white_space(utf8::decode_char(text, *prev, length))) break;
        start = *prev;
      }
    }
    if (found->rstrip) {
      while (stop < text.size()) {
        const std::size_t length = utf8::valid_char_length(text, stop);
        if (length == 0 || !is_white_space(utf8::decode_char(text, stop, length))) break;
        stop += length;
      }
    }
    if (start > emitted) plain(text.substr(emitted, start - emitted));
    token(found->id);
    emitted = stop;
    pos = stop;
  }
  if (emitted < text.size()) plain(text.substr(emitted));
}

}  // namespace beamscope
