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

struct LayoutOptions {
  double row_gap = 8.0;      // vertical space between neighbouring boxes of one column
  double column_gap = 56.0;  // horizontal space between depths (room for the edges)
  // Playback: nodes with step > max_step are hidden (and laid out as if absent).
  int max_step = std::numeric_limits<int>::max();
};

// Where each node goes: left edge x, vertical centre y. Hidden nodes have
// visible[id] == 0 and undefined coordinates.
struct TreeLayout {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<char> visible;
  std::vector<double> column_x;  // left edge of each depth
  double width = 0.0;            // bounding box, origin at (0, 0)
  double height = 0.0;

  int size() const { return static_cast<int>(x.size()); }
};

// Tidy left-to-right layout: depth grows to the right, each column is as wide
// as its widest box, and every subtree is packed as close to its upper
// sibling as its contour allows (Reingold–Tilford style, parents centred on
// their first and last child). Boxes never overlap.
//
// Runs in O(n): nodes are visited in reverse id order (TokenTree appends, so a
// child's id is always larger than its parent's), and subtree contours are
// merged small-into-large with a lazy offset, so the total merge work is
// bounded by the number of nodes. `sizes` has one entry per node (empty =
// default NodeSize for all). Qt-free, so the app's view and the CLI's TikZ
// export place nodes the same way without the CLI needing Qt.
TreeLayout layout_tree(const TokenTree& tree, std::span<const NodeSize> sizes = {},
                       const LayoutOptions& options = {});

}  // namespace beamscope
