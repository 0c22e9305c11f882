// Fuzzes config.json handling: JSON parsing, parse_gpt2_config and
// validate_gpt2_config. Finding = crash, sanitizer report, hang, any
// exception other than beamscope::Error, or an accepted config that breaks
// the invariants the model code relies on.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "model/gpt2_config.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  // As model loading does: a parse error becomes a message, not an exception
  // of nlohmann's (checked by the model-folder tests; here we want the
  // parsed value).
  const auto json = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  try {
    const Gpt2Config config = parse_gpt2_config(json, "config.json");
    validate_gpt2_config(config, "config.json");
    // What the model code assumes of an accepted config.
    if (config.n_embd <= 0 || config.n_head <= 0 || config.n_embd % config.n_head != 0) {
      fuzz::fail("accepted a config with n_embd not a positive multiple of n_head");
    }
    if (config.n_layer <= 0 || config.n_positions <= 0 || config.vocab_size <= 0 ||
        config.n_inner <= 0) {
      fuzz::fail("accepted a config with a non-positive size");
    }
    if (!(config.layer_norm_epsilon > 0.0f))
      fuzz::fail("accepted a non-positive layer_norm_epsilon");
    (void)config.parameter_count(true);
    (void)config.parameter_count(false);
  } catch (const Error&) {
  }
  return 0;
}
