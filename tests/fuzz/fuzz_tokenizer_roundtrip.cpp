// Fuzzes encode/decode with a real vocabulary (the bundled model's
// vocab.json + merges.txt + tokenizer_config.json) on arbitrary bytes:
// valid or broken UTF-8, special-token text, long runs of spaces.
//
// Finding = crash, sanitizer report, hang, any exception, an id outside the
// vocabulary, decode(encode(x)) != x, or the concatenated token_bytes of the
// ids differing from decode().
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "tokenizer/load_tokenizer.h"

namespace {

const beamscope::Tokenizer& bundled_tokenizer() {
  static const std::unique_ptr<beamscope::Tokenizer> tokenizer = [] {
    const std::filesystem::path dir =
        std::filesystem::path(BEAMSCOPE_SOURCE_DIR) / "resources/models/beamscope-mini";
    try {
      return beamscope::load_tokenizer_folder(dir);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "Cannot load the bundled tokenizer: %s\n", e.what());
      std::abort();
    }
  }();
  return *tokenizer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  const Tokenizer& tokenizer = bundled_tokenizer();
  const std::string_view text = fuzz::as_view(data, size);
  const auto ids = tokenizer.encode(text);
  std::string concatenated;
  for (const auto id : ids) {
    if (id < 0 || id >= tokenizer.vocab_size()) fuzz::fail("id outside the vocabulary");
    concatenated += tokenizer.token_bytes(id);
  }
  const std::string decoded = tokenizer.decode(ids);
  if (decoded != text) fuzz::fail("decode(encode(x)) != x");
  if (concatenated != decoded) fuzz::fail("token_bytes() of the ids differ from decode()");
  (void)display_bytes(decoded);
  return 0;
}
