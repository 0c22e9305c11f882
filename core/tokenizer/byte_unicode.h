#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace beamscope {

// GPT-2's bytes_to_unicode: byte-level BPE vocabularies spell every byte as a
// printable character so that tokens are readable strings. Printable bytes
// ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 bytes map,
// in byte order, to U+0100, U+0101, ... (space -> 'Ġ' U+0120, '\n' -> 'Ċ').
char32_t byte_to_unicode(std::uint8_t byte);

// The inverse; nullopt for a character outside the 256-character alphabet.
std::optional<std::uint8_t> unicode_to_byte(char32_t code_point);

// Raw bytes -> vocabulary spelling (e.g. " is" -> "Ġis").
std::string bytes_to_vocab_string(std::string_view bytes);

// Vocabulary spelling -> raw bytes; nullopt when the string is not valid UTF-8
// or uses a character outside the byte alphabet (e.g. "<|endoftext|>" is fine,
// "€" is not).
std::optional<std::string> vocab_string_to_bytes(std::string_view token);

}  // namespace beamscope
