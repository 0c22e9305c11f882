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

  // As Hugging Face's tokenizer.encode(text, add_special_tokens=...). Added
  // and special tokens written in the text (e.g. "<|endoftext|>") are matched
  // first. With add_special_tokens (HF's default) the tokenizer's own
  // post-processor adds what it adds (Llama's BOS, BERT's [CLS]/[SEP]); GPT-2
  // adds nothing. Implementations repeat the default, so every caller gets it.
  virtual std::vector<std::int32_t> encode(std::string_view text,
                                           bool add_special_tokens = true) const = 0;
  // As HF's decode(ids, skip_special_tokens=False): the text of the whole
  // sequence through the tokenizer's own decoder (so a SentencePiece-style
  // decoder drops the space it prepended to the first word).
  virtual std::string decode(std::span<const std::int32_t> ids) const = 0;
  // The bytes one token contributes to the text in the middle of a sequence:
  // "▁the" -> " the", a byte-fallback "<0xE2>" -> the byte E2 (see
  // display_bytes), a special token -> its literal text.
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
