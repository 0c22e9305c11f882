#pragma once

#include <string>
#include <string_view>

#include "decoding/token_tree.h"

namespace beamscope {

// What is approximate about a node's distribution, in words, for the
// inspector, the exports and the CLI; empty for a dense distribution.
// "top 20 tokens known; 3.1% of the mass unknown"
std::string top_n_note(const NextTokenDistribution& next);
// The same for one sampler stage's cut: "top_p over the 20 known tokens; 3.1%
// of the mass unknown".
std::string top_n_stage_note(const NextTokenDistribution& next, std::string_view stage);

}  // namespace beamscope
