#include "tokenizer/decoder.h"

namespace beamscope::hf {

std::unique_ptr<Decoder> read_decoder(const json& part, const std::string& where) {
  const std::string type = type_of(part, where);
  if (type == "ByteLevel") return read_byte_level_decoder();
  if (type == "Metaspace") return read_metaspace_decoder(part, where);
  if (type == "ByteFallback") return read_byte_fallback_decoder();
  if (type == "Fuse") return read_fuse_decoder();
  if (type == "Strip") return read_strip_decoder(part, where);
  if (type == "Replace") return read_replace_decoder(part, where);
  if (type == "Sequence") return read_sequence_decoder(part, where);
  unsupported_type(where, type);
}

}  // namespace beamscope::hf
