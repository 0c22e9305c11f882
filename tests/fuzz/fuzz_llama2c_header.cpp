// Fuzzes the llama2.c checkpoint header reader (legacy version 0 and the
// "ak42" versioned headers). The input is the whole file, so the size check
// against what the header describes is exercised too. Finding = crash,
// sanitizer report, hang, an exception other than beamscope::Error, or an
// accepted header that the loader could not index safely.
#include <cstdint>
#include <span>

#include "fuzz_support.h"
#include "model/llama2c_checkpoint.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  try {
    const Llama2cHeader h = read_llama2c_header(
        std::span<const std::byte>(reinterpret_cast<const std::byte*>(data), size), "model.bin");
    if (h.dim <= 0 || h.n_heads <= 0 || h.dim % h.n_heads != 0 || h.n_kv_heads <= 0 ||
        h.n_heads % h.n_kv_heads != 0 || h.vocab_size <= 0 || h.seq_len <= 0 || h.hidden_dim <= 0 ||
        h.n_layers <= 0) {
      fuzz::fail("accepted an unusable llama2.c header");
    }
    if (h.header_bytes > size) fuzz::fail("header longer than the file");
    validate_transformer_config(llama2c_transformer_config(h), "model.bin");
  } catch (const Error&) {
  }
  return 0;
}
