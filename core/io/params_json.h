#pragma once

#include <nlohmann/json.hpp>

#include "decoding/decode_params.h"
#include "io/json_object_reader.h"

namespace beamscope {

// The "params" object of the tree JSON (core/io/README.md): one key per
// entry of the parameter table (decoding/decode_param_spec.h), named as the
// entry and, where Hugging Face has the argument, as HF names it.
nlohmann::json params_to_json(const DecodeParams& params);
// Keys that are absent keep DecodeParams' defaults, so files written before
// a parameter existed still load; ranges are not checked here (callers that
// run the parameters call validate_decode_params).
DecodeParams params_from_json(const JsonObjectReader& reader);

}  // namespace beamscope
