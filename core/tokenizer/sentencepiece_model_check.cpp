#include "tokenizer/sentencepiece_model_check.h"

#include <cstdint>
#include <cstring>
#include <optional>

#include "util/error.h"

namespace beamscope {
namespace {

// One field of a protobuf message: its number, and its payload for
// length-delimited fields (wire type 2).
struct Field {
  std::uint32_t number = 0;
  std::uint32_t wire_type = 0;
  std::string_view payload;
};

// Reads the fields of one message in order; any malformed byte is an Error.
class WireReader {
 public:
  // `name` is the file, `part` the message inside it ("" for the model).
  WireReader(std::string_view bytes, const std::string& name, const std::string& part)
      : bytes_(bytes), name_(name), part_(part.empty() ? "it" : part) {}

  std::optional<Field> next() {
    if (pos_ >= bytes_.size()) return std::nullopt;
    const std::uint64_t key = varint();
    Field field;
    field.number = static_cast<std::uint32_t>(key >> 3);
    field.wire_type = static_cast<std::uint32_t>(key & 7);
    if (field.number == 0 || (key >> 3) > 0x1FFFFFFF) fail("has an invalid field number");
    switch (field.wire_type) {
      case 0:
        varint();
        break;
      case 1:
        skip(8);
        break;
      case 2: {
        const std::uint64_t length = varint();
        if (length > bytes_.size() - pos_) fail("has a field longer than the data around it");
        field.payload = bytes_.substr(pos_, static_cast<std::size_t>(length));
        pos_ += static_cast<std::size_t>(length);
        break;
      }
      case 5:
        skip(4);
        break;
      default:
        fail("has a field of wire type " + std::to_string(field.wire_type) +
             ", which a SentencePiece model never uses");
    }
    return field;
  }

 private:
  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) fail("ends inside a number");
      const auto byte = static_cast<std::uint8_t>(bytes_[pos_++]);
      value |= std::uint64_t(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    fail("has a number longer than 10 bytes");
  }
  void skip(std::size_t n) {
    if (n > bytes_.size() - pos_) fail("ends inside a fixed-size field");
    pos_ += n;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(name_ + " is not a valid SentencePiece model: " + part_ + " " + what + ".");
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::string name_;
  std::string part_;
};

// ModelProto field numbers (sentencepiece_model.proto).
constexpr std::uint32_t kPieces = 1;               // repeated SentencePiece
constexpr std::uint32_t kNormalizerSpec = 3;       // NormalizerSpec
constexpr std::uint32_t kDenormalizerSpec = 5;     // NormalizerSpec
constexpr std::uint32_t kPieceText = 1;            // SentencePiece.piece
constexpr std::uint32_t kPrecompiledCharsmap = 2;  // NormalizerSpec.precompiled_charsmap

void check_piece(std::string_view message, const std::string& name, const std::string& part) {
  const std::string where = name + ": " + part;
  WireReader reader(message, name, part);
  bool has_text = false;
  while (auto field = reader.next()) {
    if (field->number != kPieceText) continue;
    if (field->wire_type != 2) throw Error(where + " has a piece that is not a string.");
    if (field->payload.empty()) throw Error(where + " is an empty piece.");
    if (field->payload.find('\0') != std::string_view::npos) {
      throw Error(where + " is a piece with a NUL byte.");
    }
    has_text = true;
  }
  if (!has_text) throw Error(where + " has no piece text.");
}

// The charsmap: uint32 trie size in bytes, the darts-clone double array (one
// uint32 unit each), then the normalized strings. A unit's children are at
// (index ^ offset ^ byte); all 256 must be inside the array.
void check_charsmap(std::string_view blob, const std::string& where) {
  if (blob.empty()) return;  // no normalizing
  if (blob.size() < 4) throw Error(where + " is too short to hold its size.");
  std::uint32_t trie_bytes;
  std::memcpy(&trie_bytes, blob.data(), 4);
  if (trie_bytes % 4 != 0 || trie_bytes == 0 || trie_bytes > blob.size() - 4) {
    throw Error(where + " declares a trie of " + std::to_string(trie_bytes) +
                " bytes, which does not fit the " + std::to_string(blob.size()) + "-byte map.");
  }
  const std::size_t units = trie_bytes / 4;
  const std::size_t strings = blob.size() - 4 - trie_bytes;
  for (std::size_t i = 0; i < units; ++i) {
    std::uint32_t unit;
    std::memcpy(&unit, blob.data() + 4 + 4 * i, 4);
    // darts-clone's unit layout: offset in bits 10..30, scaled by 2^8 when
    // bit 9 is set; a leaf (bit 31) holds a value, here an index into the
    // normalized strings.
    if (unit & 0x80000000u) {
      if ((unit & 0x7FFFFFFFu) >= strings) {
        throw Error(where + " points past its normalized strings.");
      }
      continue;
    }
    const std::size_t offset = (unit >> 10) << ((unit & (1u << 9)) >> 6);
    if (((i ^ offset) | 0xFF) >= units) {
      throw Error(where + " has a trie link outside the trie.");
    }
  }
  if (strings > 0 && blob.back() != '\0') {
    throw Error(where + " does not end its normalized strings with a NUL byte.");
  }
}

void check_normalizer(std::string_view message, const std::string& name, const std::string& part) {
  WireReader reader(message, name, part);
  while (auto field = reader.next()) {
    if (field->number == kPrecompiledCharsmap && field->wire_type == 2) {
      check_charsmap(field->payload, name + ": " + part + ".precompiled_charsmap");
    }
  }
}

}  // namespace

void check_sentencepiece_model(std::string_view bytes, const std::string& name) {
  WireReader reader(bytes, name, "");
  std::size_t pieces = 0;
  while (auto field = reader.next()) {
    if (field->wire_type != 2) continue;
    if (field->number == kPieces) {
      check_piece(field->payload, name, "pieces[" + std::to_string(pieces) + "]");
      ++pieces;
    } else if (field->number == kNormalizerSpec) {
      check_normalizer(field->payload, name, "normalizer_spec");
    } else if (field->number == kDenormalizerSpec) {
      check_normalizer(field->payload, name, "denormalizer_spec");
    }
  }
  if (pieces == 0) throw Error(name + " is not a SentencePiece model: it has no pieces.");
}

}  // namespace beamscope
