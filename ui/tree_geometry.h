#pragma once

#include <QPen>
#include <QRectF>
#include <vector>

#include "decoding/token_tree.h"
#include "edges_item.h"
#include "layout/tree_filter.h"
#include "layout/tree_layout.h"

namespace beamscope::ui {

struct TreeStyle;

// The drawable shapes of one laid-out tree: a box per shown node and stub
// (by display id, empty when hidden) and an edge per shown child.
struct TreeGeometry {
  std::vector<QRectF> boxes;
  std::vector<Edge> edges;
  std::vector<QPen> pens;  // indexed by Edge::pen
  int shown_nodes = 0;     // real nodes drawn (stubs not counted)
};

// Edges leave the parent on the side facing its children (right, or bottom
// when the tree grows downwards); width and strength grow with the step
// probability, and edges to stubs are thin dashes.
TreeGeometry build_tree_geometry(const TokenTree& tree, const FilteredTree& filtered,
                                 const TreeLayout& layout, const std::vector<NodeSize>& sizes,
                                 const TreeStyle& style);

}  // namespace beamscope::ui
