#pragma once

#include <limits>
#include <span>
#include <vector>

namespace beamscope {

class TokenTree;

// Size of one node's box in scene units.
struct NodeSize {
  double width = 60.0;
  double height = 34.0;
};

// Which way depth grows: to the right (a timeline, the app's default) or
// downwards (wide, shallow trees fit a landscape slide better that way).
enum class LayoutOrientation { LeftToRight, TopToBottom };

struct LayoutOptions {
  double row_gap = 8.0;      // space between neighbouring boxes of one depth
  double column_gap = 56.0;  // space between depths (room for the edges)
  LayoutOrientation orientation = LayoutOrientation::LeftToRight;
  // Playback: nodes with step > max_step are hidden (and laid out as if absent).
  // Read by the TokenTree overload only; a LayoutInput says itself what shows.
  int max_step = std::numeric_limits<int>::max();
};

// Any rooted tree to lay out, so the view's filtered tree (with its stub
// nodes, layout/tree_filter.h) and a plain TokenTree share one algorithm.
// Node 0 is the root and every parent's id is smaller than its children's
// (TokenTree appends, and stubs are numbered after the real nodes), which
// lets the layout run bottom-up by descending id without recursion.
struct LayoutInput {
  std::vector<int> parent;       // -1 for the root
  std::vector<int> child_begin;  // size() + 1 offsets into `children`
  std::vector<int> children;     // each node's children in drawing order
  std::vector<char> visible;     // 0 = hidden with its whole subtree

  int size() const { return static_cast<int>(parent.size()); }
  std::span<const int> children_of(int id) const {
    const auto b = static_cast<std::size_t>(child_begin[static_cast<std::size_t>(id)]);
    const auto e = static_cast<std::size_t>(child_begin[static_cast<std::size_t>(id) + 1]);
    return std::span<const int>(children).subspan(b, e - b);
  }
};

// The TokenTree as a LayoutInput, showing steps up to `max_step`.
LayoutInput layout_input(const TokenTree& tree, int max_step = std::numeric_limits<int>::max());

// Where each node goes: left edge x, vertical centre y, in both orientations
// (so callers build boxes the same way). Hidden nodes have visible[id] == 0
// and undefined coordinates.
struct TreeLayout {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<char> visible;
  // Start of each depth along the depth axis: left edge of each column
  // (left to right) or top of each row (top to bottom).
  std::vector<double> column_x;
  double width = 0.0;  // bounding box, origin at (0, 0)
  double height = 0.0;
  LayoutOrientation orientation = LayoutOrientation::LeftToRight;

  int size() const { return static_cast<int>(x.size()); }
};

// Tidy layout: each depth is a column (or row) as deep as its deepest box,
// and every subtree is packed as close to its previous sibling as the two
// outlines allow at every depth they share (Reingold–Tilford style, parents
// centred on their first and last child). Boxes never overlap.
//
// Runs in O(n): nodes are visited in reverse id order (children before
// parents), and subtree contours are merged small-into-large with a lazy
// offset, so the total merge work is bounded by the number of nodes.
// `sizes` has one entry per node (empty = default NodeSize for all). Qt-free,
// so the app's view and the CLI's TikZ export place nodes the same way.
TreeLayout layout_tree(const LayoutInput& input, std::span<const NodeSize> sizes = {},
                       const LayoutOptions& options = {});
TreeLayout layout_tree(const TokenTree& tree, std::span<const NodeSize> sizes = {},
                       const LayoutOptions& options = {});

}  // namespace beamscope
