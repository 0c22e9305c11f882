#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "decoding/decode_params.h"

namespace beamscope {

struct NextTokenEntry {
  std::int32_t id = 0;
  double logprob = 0.0;  // raw log-softmax
  double prob = 0.0;     // after the sampling chain of the params; 0 if removed
};

// The `top` most likely next tokens after `history` by raw log-prob (ties to
// the lower id), with their probability after the full sampling chain
// (penalties over `history`, then the warpers in `params.order`), as
// `beamscope-cli next` prints them. `logits` are the raw logits [vocab], or a
// server's top-N log-probs with -inf for unlisted tokens: then only listed
// tokens are returned and the chain runs over them (their renormalised
// probabilities), as sampling does on a top-N distribution.
std::vector<NextTokenEntry> next_token_table(std::span<const float> logits,
                                             std::span<const std::int32_t> history,
                                             const DecodeParams& params, int top);

}  // namespace beamscope
