#include "tokenizer/normalizer.h"

namespace beamscope::hf {

std::unique_ptr<Normalizer> read_normalizer(const json& part, const std::string& where) {
  const std::string type = type_of(part, where);
  if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") {
    return read_unicode_form_normalizer(type);
  }
  if (type == "StripAccents") return read_strip_accents_normalizer();
  if (type == "Lowercase") return read_lowercase_normalizer();
  if (type == "Strip") return read_strip_normalizer(part, where);
  if (type == "Prepend") return read_prepend_normalizer(part, where);
  if (type == "Replace") return read_replace_normalizer(part, where);
  if (type == "Sequence") return read_sequence_normalizer(part, where);
  unsupported_type(where, type);
}

}  // namespace beamscope::hf
