#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tokenizer/added_tokens.h"
#include "tokenizer/decoder.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/post_processor.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/token_model.h"
#include "tokenizer/tokenizer.h"

namespace beamscope {

// A Hugging Face tokenizer.json pipeline, run as HF's tokenizers library
// does: added tokens are cut out of the raw text (normalized=false ones), the
// rest is normalized, normalized=true added tokens are cut out of that,
// each stretch is pre-tokenized into pieces, the model turns each piece into
// ids, and the post-processor adds the special tokens. Decoding maps ids to
// token strings (added tokens: their content) and runs the decoder.
//
// Input that is not valid UTF-8 is first made valid (U+FFFD per ill-formed
// subpart), as the reference implementations only ever see such text.
//
// Thread-safe: const methods may be called concurrently.
class HfTokenizer final : public Tokenizer {
 public:
  struct Parts {
    std::string source;                                 // the file, for errors
    std::unique_ptr<hf::Normalizer> normalizer;         // may be null
    std::unique_ptr<hf::PreTokenizer> pre_tokenizer;    // may be null
    std::unique_ptr<hf::TokenModel> model;              // required
    std::unique_ptr<hf::PostProcessor> post_processor;  // may be null
    std::unique_ptr<hf::Decoder> decoder;               // may be null
    std::vector<AddedToken> added_tokens;
    // tokenizer_config.json's clean_up_tokenization_spaces (transformers
    // removes the space before punctuation in decode).
    bool clean_up_spaces = false;
  };

  // Checks that the parts fit together (ids of added and special tokens);
  // errors name parts.source.
  explicit HfTokenizer(Parts parts);

  std::vector<std::int32_t> encode(std::string_view text,
                                   bool add_special_tokens = true) const override;
  std::string decode(std::span<const std::int32_t> ids) const override;
  std::string token_bytes(std::int32_t id) const override;
  int vocab_size() const override { return static_cast<int>(spellings_.size()); }
  std::optional<std::int32_t> token_id(std::string_view token_text) const override;
  std::string token_string(std::int32_t id) const override { return spelling(id); }
  bool is_special(std::int32_t id) const override;

 private:
  const std::string& spelling(std::int32_t id) const;
  void encode_stretch(std::string_view text, bool at_start, std::vector<std::int32_t>& ids) const;
  std::string decode_tokens(std::vector<std::string> tokens, hf::DecodeContext context) const;

  Parts parts_;
  std::unique_ptr<AddedTokenMatcher> added_;
  std::vector<const std::string*> spellings_;  // by id; null where no token has the id
  std::vector<char> added_kind_;               // by id: 0 model token, 1 added, 2 special
  std::vector<std::string> added_contents_;    // storage the spellings point into
};

}  // namespace beamscope
