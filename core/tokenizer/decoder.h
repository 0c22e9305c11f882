#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tokenizer/hf_json.h"

namespace beamscope::hf {

// Where the tokens being decoded sit in the text. A whole sequence starts and
// ends the text; one token's contribution (Tokenizer::token_bytes) does
// neither, so the first-token rules (Metaspace's and Strip's removal of the
// space SentencePiece put in front) do not apply to it.
struct DecodeContext {
  bool at_text_start = true;
  bool at_text_end = true;
  bool fused = false;  // set once a decoder joined the tokens into one string
};

// A tokenizer.json "decoder": turns token strings back into text, as HF's
// decode_chain, except that bytes stay bytes: where HF would put U+FFFD for a
// character split across tokens, the bytes are kept (display_bytes shows them).
class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void decode_chain(std::vector<std::string>& tokens, DecodeContext& context) const = 0;
};

// Reads any supported decoder; `where` is e.g. "tokenizer.json: decoder".
std::unique_ptr<Decoder> read_decoder(const json& part, const std::string& where);

// One reader per type (each in the file named after it).
std::unique_ptr<Decoder> read_byte_level_decoder();
std::unique_ptr<Decoder> read_metaspace_decoder(const json& part, const std::string& where);
std::unique_ptr<Decoder> read_byte_fallback_decoder();
std::unique_ptr<Decoder> read_fuse_decoder();
std::unique_ptr<Decoder> read_strip_decoder(const json& part, const std::string& where);
std::unique_ptr<Decoder> read_replace_decoder(const json& part, const std::string& where);
std::unique_ptr<Decoder> read_sequence_decoder(const json& part, const std::string& where);

}  // namespace beamscope::hf
