// Fuzzes every architecture's config.json reader (find_architecture, then
// the family's read_config, which validates). Finding = crash, sanitizer
// report, hang, any exception other than beamscope::Error, or an accepted
// config that breaks what the forward pass relies on.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "model/architectures/architecture.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  const auto json = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  const Architecture* architecture = find_architecture(json);
  if (!architecture) return 0;
  try {
    const TransformerConfig c =
        architecture->read_config(json, "config.json", architecture->model_type);
    if (c.hidden <= 0 || c.heads <= 0 || c.kv_heads <= 0 || c.heads % c.kv_heads != 0 ||
        c.head_dim <= 0 || c.layers <= 0 || c.vocab <= 0 || c.context <= 0 || c.intermediate <= 0) {
      fuzz::fail("accepted a config with an unusable size");
    }
    if (static_cast<int>(c.layer_specs.size()) != c.layers) fuzz::fail("layer kinds != layers");
    if (c.position == PositionKind::kRotary &&
        (c.rotary_dims < 2 || c.rotary_dims > c.head_dim || c.rotary_dims % 2 != 0)) {
      fuzz::fail("accepted unusable rotary dimensions");
    }
    for (const LayerSpec& l : c.layer_specs) {
      if (l.sliding_window < 0) fuzz::fail("accepted a negative sliding window");
      if (c.position == PositionKind::kRotary &&
          (l.rope < 0 || l.rope >= static_cast<int>(c.ropes.size()))) {
        fuzz::fail("a layer names a missing rotary table");
      }
    }
    if (!(c.norm_eps > 0.0f)) fuzz::fail("accepted a non-positive norm epsilon");
    (void)c.parameter_count();
  } catch (const Error&) {
  }
  return 0;
}
