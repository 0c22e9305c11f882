#pragma once

#include <span>
#include <string>
#include <string_view>

#include "decoding/token_tree.h"

namespace beamscope {

// Where a node goes on the page, in points: left edge x, vertical centre y
// (y grows downwards, as on screen). Computed by the app's tree layout, so the
// TikZ picture matches the PNG/SVG/PDF exports.
struct TikzPlacement {
  double x = 0;
  double y = 0;
  bool visible = true;
};

// A standalone LaTeX document with one tikzpicture of the tree (Qt-free;
// `beamscope-cli render --out x.tex`). Nodes carry the token (TeX-escaped,
// spaces as \textvisiblespace, newlines as a return arrow) with step and path
// probabilities, styled by status; edges are curves whose width follows the
// step probability; the best returned path is highlighted. Compiles with
// pdflatex for ASCII/Latin text, lualatex for any Unicode in tokens.
// `placements` has one entry per node.
std::string tree_to_tikz(const TokenTree& tree, std::string_view prompt_text,
                         std::span<const TikzPlacement> placements);

}  // namespace beamscope
