#pragma once

#include <functional>
#include <memory>
#include <string_view>

namespace beamscope {

// GPT-2's pre-tokenizer: splits text into the pieces BPE works on, with
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// where \s is Unicode White_Space (as in Python's `regex` and HF's Oniguruma;
// PCRE2's own \s also counts U+180E, so the class is spelled out).
//
// Text that is not valid UTF-8 is handled, not rejected: every maximal run of
// bytes that do not form characters becomes a piece of its own, so the pieces
// always tile the input exactly.
//
// Compiled once (JIT where available); split() is const and thread-safe
// because match data is created per call.
class Gpt2PreTokenizer {
 public:
  Gpt2PreTokenizer();
  ~Gpt2PreTokenizer();
  Gpt2PreTokenizer(const Gpt2PreTokenizer&) = delete;
  Gpt2PreTokenizer& operator=(const Gpt2PreTokenizer&) = delete;

  // Calls `piece` for each piece in order; the views point into `text`.
  void split(std::string_view text, const std::function<void(std::string_view)>& piece) const;

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace beamscope
