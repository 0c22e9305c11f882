#pragma once

#include <string>
#include <string_view>

#include "decoding/token_tree.h"
#include "layout/tree_filter.h"

namespace beamscope {

// A standalone LaTeX document with one tikzpicture of the tree (Qt-free;
// `beamscope-cli render --out x.tex`). Nodes carry the token (TeX-escaped,
// spaces as \textvisiblespace, newlines as a return arrow) with step and path
// probabilities, styled by status; edges are curves whose width follows the
// step probability; the best returned path is highlighted. Compiles with
// pdflatex for ASCII/Latin text, lualatex for any Unicode in tokens. Nodes are
// placed by the app's tree layout (layout/tree_layout.h), so the picture has
// the shape of the PNG/SVG/PDF exports. `view` folds what it does not draw
// into "+N" stub nodes (layout/tree_filter.h; path and subtree of `focus`).
std::string tree_to_tikz(const TokenTree& tree, std::string_view prompt_text,
                         TreeFilter view = TreeFilter::Everything, int focus = -1);

}  // namespace beamscope
