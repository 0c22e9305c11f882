#pragma once

#include <vector>

#include "model/transformer_config.h"

namespace beamscope::ops {

// The rotary frequencies of one RopeSpec over `rotary_dims` dimensions:
// inv_freq[i] = 1 / theta^(2i / rotary_dims), i < rotary_dims / 2, rescaled
// as HF's rope init functions do ("linear": / factor; "llama3": by
// wavelength band, _compute_llama3_parameters). Computed in float32 as HF does.
std::vector<float> rope_inv_freq(const RopeSpec& spec, int rotary_dims);

// Rotates the first `rotary_dims` dims of each of `count` heads of
// `head_dim` floats at `data`, in place, for position `position`:
// (a, b) -> (a cos - b sin, b cos + a sin) with angle position * inv_freq[i],
// where (a, b) is (x[i], x[i + rot/2]) for kHalves and (x[2i], x[2i+1]) for
// kInterleaved. `cos`/`sin` are that position's [rot/2] tables.
void rotate_heads(RotaryPairing pairing, float* data, int count, int head_dim, int rotary_dims,
                  const float* cos, const float* sin);

// cos/sin [rot/2] of angle position * inv_freq[i], in float32 like HF.
void rope_angles(const std::vector<float>& inv_freq, int position, float* cos, float* sin);

}  // namespace beamscope::ops
