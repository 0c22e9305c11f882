#pragma once

#include <cstdint>
#include <string>

#include "decoding/token_tree.h"

namespace beamscope {

// An sRGB colour, 8 bits a channel.
struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;

  // "RRGGBB", upper case (TikZ's \definecolor{..}{HTML}{..}; DOT adds a '#').
  std::string hex() const;
  bool operator==(const Rgb&) const = default;
};

enum class BorderStyle { Solid, Dashed, Dotted };

// How one node status looks. Status is told by fill, border colour *and*
// border style, so the tree stays readable on a projector or in greyscale.
struct StatusColors {
  Rgb fill;
  Rgb border;
  Rgb text;
  BorderStyle border_style = BorderStyle::Solid;
  double border_width = 1.5;  // in points at scale 1
};

// The colours of a tree drawing, in one place: the app's view and image export
// (ui/tree_style.cpp) and the CLI's DOT and TikZ exports all read these, so a
// colour changed here changes in every output.
struct TreePalette {
  Rgb background;
  Rgb edge;        // edges on taken paths
  Rgb faint_edge;  // edges to alternatives and pruned candidates
  Rgb highlight;   // the path of a highlighted result
  Rgb focus;       // the node the inspector shows
  Rgb forced;      // "what if" marker
  Rgb legend_text;
  StatusColors root, selected, alternative, pruned, finished, returned;

  const StatusColors& of(NodeStatus status) const;

  // Light: export and light desktops. Dark: dark desktops and lecture rooms.
  static const TreePalette& light();
  static const TreePalette& dark();
};

}  // namespace beamscope
