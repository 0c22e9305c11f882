#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace beamscope {

// Text <-> token ids. Strings are raw UTF-8 bytes; decode() may return bytes
// that are not valid UTF-8 when a token splits a character.
class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Special/added tokens (e.g. "<|endoftext|>") are matched first.
  virtual std::vector<std::int32_t> encode(std::string_view text) const = 0;
  // Concatenated bytes of the tokens.
  virtual std::string decode(std::span<const std::int32_t> ids) const = 0;
  // The bytes one token stands for (special tokens: their literal text).
  virtual std::string token_bytes(std::int32_t id) const = 0;
  // Number of ids the tokenizer knows (incl. added tokens).
  virtual int vocab_size() const = 0;
  // The id of a token given as the vocabulary spells it ("Ġis",
  // "<|endoftext|>"); nullopt if there is none.
  virtual std::optional<std::int32_t> token_id(std::string_view token_text) const = 0;

  // The token as its vocabulary spells it (HF convert_ids_to_tokens, e.g.
  // "Ġis" for " is"). The default suits tokenizers whose spelling is the bytes.
  virtual std::string token_string(std::int32_t id) const { return token_bytes(id); }
  // True for special tokens such as "<|endoftext|>" (the UI may mark them).
  virtual bool is_special(std::int32_t /*id*/) const { return false; }
};

// Display form of raw token bytes: valid UTF-8 is kept; bytes that do not
// (yet) form a complete character are shown as <0xF0>-style escapes.
std::string display_bytes(std::string_view bytes);

}  // namespace beamscope
