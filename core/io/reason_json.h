#pragma once

#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "decoding/node_reason.h"

namespace beamscope {

// A node's reason in the tree JSON: "reason" is the sentence
// (describe_reason, for people and tools that only read text) and
// "reason_data" the code and its numbers, e.g.
//   "reason": "rank 5 of 8 candidates; 4 better candidates continue",
//   "reason_data": {"code": "beam_pruned", "pool_rank": 5, "pool_size": 8, "num_beams": 4}
// Only fields that differ from their defaults are written. Nothing is
// written for a node without a reason.
void put_reason(nlohmann::json& node, const NodeReason& reason);

// Reads what put_reason wrote: `data` is the node's "reason_data" (null when
// absent; then `text`, the "reason" sentence of an older file, is kept as
// NodeReason::legacy_text). `fail` is called with what is wrong (e.g. "an
// unknown reason code \"x\"") and must throw.
NodeReason read_reason(const nlohmann::json* data, std::string text,
                       const std::function<void(const std::string&)>& fail);

}  // namespace beamscope
