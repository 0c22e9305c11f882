// Fuzzes the SentencePiece tokenizer.model loader (our checks around
// libsentencepiece's parser) and, on what it accepts, encode and decode.
//
// Finding = crash, sanitizer report, hang, an exception other than
// beamscope::Error, or an id outside the vocabulary.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  std::unique_ptr<Tokenizer> tokenizer;
  try {
    tokenizer = parse_sentencepiece_model(fuzz::as_view(data, size), "fuzz.model");
  } catch (const Error&) {
    return 0;  // a refused file is the right answer
  }
  try {
    const auto ids = tokenizer->encode("The cat  sat\t\xE7\x8C\xAB \xF0\x9F\x99\x82 <s> \xFF");
    for (const auto id : ids) {
      if (id < 0 || id >= tokenizer->vocab_size()) fuzz::fail("id outside the vocabulary");
      (void)tokenizer->token_string(id);
      (void)display_bytes(tokenizer->token_bytes(id));
    }
    (void)tokenizer->decode(ids);
  } catch (const Error&) {
    // The library may refuse to encode with a model it loaded; it says so.
  }
  return 0;
}
