#pragma once

#include <string>
#include <string_view>

#include "decoding/token_tree.h"

namespace beamscope {

// Graphviz DOT of a token tree (Qt-free; `beamscope-cli render --out x.dot`).
// Left-to-right, one box per node with the token (whitespace made visible)
// and its step and path probabilities, coloured by status like the app, edge
// width by step probability, the best returned sequence's path highlighted.
std::string tree_to_dot(const TokenTree& tree, std::string_view prompt_text);

// Shared by the text exports: token bytes with spaces as '␣', newlines as
// '↵', tabs as '⇥', other control bytes as U+2400 pictures and split UTF-8
// as <0xE2> escapes; compact probabilities ("0.42", "3.1e-05").
std::string visible_token_label(std::string_view bytes);
std::string probability_label(double p);

}  // namespace beamscope
