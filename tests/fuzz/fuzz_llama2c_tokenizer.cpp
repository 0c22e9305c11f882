// Fuzzes llama2.c's tokenizer.bin reader and the encoder on what it accepts:
// the input is a tokenizer.bin followed by a text to encode, its length in
// the input's last byte.
//
// Finding = crash, sanitizer report, hang, an exception other than
// beamscope::Error while loading, any exception while encoding or decoding
// what loaded, or an id outside the vocabulary.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "tokenizer/llama2c_tokenizer.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  std::string_view input = fuzz::as_view(data, size);
  std::string_view text = "Once upon a time, \xE7\x8C\xAB \xF0\x9F\x99\x82 a\x80 tok";
  if (!input.empty()) {
    const std::size_t text_length =
        std::min<std::size_t>(static_cast<std::uint8_t>(input.back()), input.size() - 1);
    input.remove_suffix(1);
    if (text_length > 0) {
      text = input.substr(input.size() - text_length);
      input.remove_suffix(text_length);
    }
  }
  std::unique_ptr<Tokenizer> tokenizer;
  try {
    tokenizer = parse_llama2c_tokenizer(input, "fuzz.bin");
  } catch (const Error&) {
    return 0;  // a refused file is the right answer
  }
  std::vector<std::int32_t> ids = tokenizer->encode(text);
  for (const auto id : ids) {
    if (id < 0 || id >= tokenizer->vocab_size()) fuzz::fail("id outside the vocabulary");
    (void)tokenizer->token_string(id);
    (void)display_bytes(tokenizer->token_bytes(id));
  }
  ids.insert(ids.begin(), 1);
  (void)tokenizer->decode(ids);
  return 0;
}
