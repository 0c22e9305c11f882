#include <cstdint>
#include <cstdio>

#include "tokenizer/tokenizer.h"
#include "tokenizer/utf8.h"

namespace beamscope {

std::string display_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t length = utf8::valid_char_length(bytes, pos);
    if (length > 0) {
      out.append(bytes.substr(pos, length));
      pos += length;
      continue;
    }
    // Part of a character split across tokens (or not UTF-8 at all): show the
    // byte itself so nothing is silently lost.
    char escape[8];
    std::snprintf(escape, sizeof escape, "<0x%02X>", static_cast<std::uint8_t>(bytes[pos]));
    out += escape;
    ++pos;
  }
  return out;
}

}  // namespace beamscope
