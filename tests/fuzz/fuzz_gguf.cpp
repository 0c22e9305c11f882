// The GGUF reader on arbitrary bytes: header, metadata and tensor infos are
// parsed and checked; then everything a loader would touch is touched (every
// metadata array read back, every decodable tensor dequantized, the
// architecture and tokenizer built), so a check that lets a bad value
// through shows up as a sanitizer finding rather than a clean Error.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/gguf/gguf_file.h"
#include "model/gguf/gguf_model.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  try {
    const GgufFile file(std::span(reinterpret_cast<const std::byte*>(data), size), "fuzz.gguf");
    for (const char* key : {"tokenizer.ggml.tokens", "tokenizer.ggml.merges"}) {
      try {
        file.strings(key);
      } catch (const Error&) {
      }
    }
    std::vector<float> out;
    for (const GgufTensor& t : file.tensors()) {
      const auto info = ggml_type_info(static_cast<std::uint32_t>(t.type));
      if (!info || !info->dequantizable || t.elements > (1u << 20)) continue;
      out.resize(t.elements);
      dequantize(t.type, file.data(t).data(), t.elements, out.data());
    }
    try {
      const TransformerConfig c = gguf_transformer_config(file);
      if (c.parameter_count() < (1u << 22)) gguf_transformer_weights(file, c, {});
    } catch (const Error&) {
    }
    try {
      const auto tokenizer = gguf_tokenizer(file);
      tokenizer->encode("Hello world <s>");
    } catch (const Error&) {
    }
  } catch (const Error&) {
  }
  return 0;
}
