#pragma once

#include <nlohmann/json.hpp>

#include "decoding/token_tree.h"
#include "io/json_object_reader.h"

namespace beamscope {

// The "nodes" and "sequences" arrays of the tree JSON (core/io/README.md),
// plus Beamscope's extra node fields (reason, beam_score, count, forced, the
// node's next-token distribution with its stage cuts).

// Adds "nodes" and "sequences" to `top`.
void tree_to_json(const TokenTree& tree, nlohmann::json& top);
// Reads them back from the top-level object. The structure is verified
// before use: ids 0, 1, 2, ...; every parent an earlier node; each step its
// parent's + 1; sequences point at existing nodes.
TokenTree tree_from_json(const JsonObjectReader& top);

}  // namespace beamscope
