#include "tokenizer/pre_tokenizer.h"

namespace beamscope::hf {

std::unique_ptr<PreTokenizer> read_pre_tokenizer(const json& part, const std::string& where) {
  const std::string type = type_of(part, where);
  if (type == "ByteLevel") return read_byte_level_pre_tokenizer(part, where);
  if (type == "Split") return read_split_pre_tokenizer(part, where);
  if (type == "Metaspace") return read_metaspace_pre_tokenizer(part, where);
  if (type == "Digits") return read_digits_pre_tokenizer(part, where);
  if (type == "Punctuation") return read_punctuation_pre_tokenizer(part, where);
  if (type == "Whitespace") return read_whitespace_pre_tokenizer();
  if (type == "WhitespaceSplit") return read_whitespace_split_pre_tokenizer();
  if (type == "Sequence") return read_sequence_pre_tokenizer(part, where);
  unsupported_type(where, type);
}

}  // namespace beamscope::hf
