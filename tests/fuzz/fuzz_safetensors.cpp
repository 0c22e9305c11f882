// Fuzzes the safetensors reader (header, offsets, dtypes, shapes) and, on
// files that pass it, the GPT-2 weight loader for a tiny fixed config (the
// seed corpus holds a valid model of exactly that config, so mutations
// explore missing, extra, mistyped and misshapen tensors).
//
// Finding = crash, sanitizer report, hang, any exception other than
// beamscope::Error, or a tensor whose bytes lie outside the mapping.
#include <cstdint>
#include <vector>

#include "fuzz_support.h"
#include "model/gpt2_config.h"
#include "model/gpt2_weights.h"
#include "model/safetensors.h"
#include "util/error.h"

namespace {

using namespace beamscope;

// The config the seed's tensors match (also in make_seeds.py).
Gpt2Config tiny_config() {
  Gpt2Config c;
  c.n_embd = 8;
  c.n_head = 2;
  c.n_layer = 1;
  c.n_positions = 8;
  c.vocab_size = 16;
  c.n_inner = 32;
  return c;
}

bool is_float_dtype(SafetensorsDtype d) {
  return d == SafetensorsDtype::F32 || d == SafetensorsDtype::F16 || d == SafetensorsDtype::BF16;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = fuzz::write_scratch_file("model.safetensors", fuzz::as_view(data, size));
  try {
    const SafetensorsFile file(path);
    for (const auto& t : file.tensors()) {
      const auto raw = file.raw(t);
      if (raw.size() != t.end - t.begin) fuzz::fail("raw() size differs from the data offsets");
      if (raw.size() != t.element_count * dtype_size(t.dtype)) {
        fuzz::fail("tensor byte size differs from shape x dtype size");
      }
      // Reading touches every byte, so ASan sees any range past the mapping.
      if (is_float_dtype(t.dtype) && t.element_count <= (1u << 20)) {
        std::vector<float> out(t.element_count);
        file.read_floats(t, out);
      }
    }
    (void)load_gpt2_weights(file, tiny_config());
  } catch (const Error&) {
    // Refused with a message: the expected outcome for most inputs.
  }
  return 0;
}
