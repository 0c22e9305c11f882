#pragma once

// For tests that walk the parameter table: a valid value other than the
// default for every entry, so a round trip through any store (session JSON,
// settings, CLI text) is seen to carry each parameter.

#include <cstdint>
#include <limits>
#include <string>

#include "decoding/decode_param_spec.h"

namespace beamscope::test {

// `params` with the entry `spec` moved off its default to another value its
// range accepts (cross-parameter rules such as num_return_sequences <=
// num_beams are not considered).
inline void set_other_value(const DecodeParamSpec& spec, DecodeParams& params) {
  switch (spec.type) {
    case ParamType::Integer:
    case ParamType::Real: {
      const double step = spec.type == ParamType::Integer ? 1.0 : 0.25;
      const double now = param_number(spec, params);
      const double up = now + step;
      set_param_number(spec, param_range_error(spec, up).empty() ? up : now - step, params);
      return;
    }
    case ParamType::Seed:  // the top of the range: no rounding through double allowed
      set_param_text(spec, std::to_string(std::numeric_limits<std::uint64_t>::max()), params);
      return;
    case ParamType::Choice: {
      const std::string now = param_text(spec, params);
      for (std::string_view name : param_choices(spec)) {
        if (name != now) {
          set_param_text(spec, name, params);
          return;
        }
      }
      return;
    }
    case ParamType::StageList:
      set_param_text(spec, "min_p,temperature", params);
      return;
  }
}

// Every entry moved off its default at once.
inline DecodeParams every_param_changed() {
  DecodeParams params;
  for (const DecodeParamSpec& spec : decode_param_specs()) set_other_value(spec, params);
  return params;
}

}  // namespace beamscope::test
