#pragma once

#include <cstddef>
#include <span>

namespace beamscope {

// Throws an Error when any logit is NaN or infinite. Damaged weights load
// fine (a NaN is a valid float); the first forward pass is where it shows,
// and a tree of NaN probabilities would be worse than one clear sentence.
void require_finite_logits(std::span<const float> logits, std::size_t prefix_length);

// The check for a top-N source (a server's top log-probs spread over
// [vocab]): -inf marks a token the source did not list and is allowed only
// here; the listed entries must be log-probabilities (finite, <= 0, summing
// to at most 1 within the source's rounding), and at least one listed.
void require_top_n_logprobs(std::span<const float> logprobs, std::size_t prefix_length);

}  // namespace beamscope
