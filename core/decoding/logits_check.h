#pragma once

#include <cstddef>
#include <span>

namespace beamscope {

// Throws an Error when any logit is NaN or infinite. Damaged weights load
// fine (a NaN is a valid float); the first forward pass is where it shows,
// and a tree of NaN probabilities would be worse than one clear sentence.
void require_finite_logits(std::span<const float> logits, std::size_t prefix_length);

}  // namespace beamscope
