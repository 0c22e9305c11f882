#include "layout/tree_layout.h"

#include <algorithm>
#include <utility>

#include "decoding/token_tree.h"

namespace beamscope {

namespace {

// Vertical extent occupied by a subtree at one depth.
struct Extent {
  double lo = 0.0;
  double hi = 0.0;
};

// A subtree's outline, one Extent per depth below its root. Stored deepest
// first (levels.back() is the root's own level) so that a parent can push its
// level in O(1); true coordinates are levels[i] + offset, relative to the
// subtree root's centre. The offset lets a whole subtree move in O(1).
struct Contour {
  std::vector<Extent> levels;
  double offset = 0.0;

  int height() const { return static_cast<int>(levels.size()); }
  // Extent `depth` levels below the root (0 = the root's level).
  Extent& at(int depth) { return levels[levels.size() - 1 - static_cast<std::size_t>(depth)]; }
  const Extent& at(int depth) const {
    return levels[levels.size() - 1 - static_cast<std::size_t>(depth)];
  }
};

// Smallest shift that puts `lower` (root at 0 in its own frame) fully below
// `upper` at every depth both reach, with `gap` between them.
double separation(const Contour& upper, const Contour& lower, double gap) {
  const int common = std::min(upper.height(), lower.height());
  double shift = -std::numeric_limits<double>::infinity();
  for (int d = 0; d < common; ++d) {
    const double need = (upper.at(d).hi + upper.offset) + gap - (lower.at(d).lo + lower.offset);
    shift = std::max(shift, need);
  }
  return shift;
}

// Merges `lower`, shifted by `shift`, into `upper` (which lies above it at every
// common depth). Costs O(min(height)) by keeping the taller vector.
void merge_below(Contour& upper, Contour&& lower, double shift) {
  lower.offset += shift;
  const int common = std::min(upper.height(), lower.height());
  if (upper.height() >= lower.height()) {
    // Common depths: the lower subtree now defines the bottom edge.
    for (int d = 0; d < common; ++d) upper.at(d).hi = lower.at(d).hi + lower.offset - upper.offset;
    return;
  }
  // Lower is taller: keep its storage, take the top edge from `upper`.
  for (int d = 0; d < common; ++d) lower.at(d).lo = upper.at(d).lo + upper.offset - lower.offset;
  upper = std::move(lower);
}

}  // namespace

LayoutInput layout_input(const TokenTree& tree, int max_step) {
  const int n = tree.size();
  LayoutInput in;
  in.parent.assign(static_cast<std::size_t>(n), -1);
  in.visible.assign(static_cast<std::size_t>(n), 0);
  in.child_begin.reserve(static_cast<std::size_t>(n) + 1);
  in.children.reserve(static_cast<std::size_t>(n));
  for (int id = 0; id < n; ++id) {
    const TreeNode& node = tree.node(id);
    const std::size_t i = static_cast<std::size_t>(id);
    in.child_begin.push_back(static_cast<int>(in.children.size()));
    // A node whose parent does not come before it (a malformed tree) is
    // hidden rather than trusted; so is a child list naming someone else.
    const int p = node.parent;
    if (id == 0) {
      in.visible[i] = 1;
    } else if (p >= 0 && p < id) {
      in.parent[i] = p;
      in.visible[i] = in.visible[static_cast<std::size_t>(p)] && node.step <= max_step;
    }
    for (int c : node.children) {
      if (c > id && c < n && tree.node(c).parent == id) in.children.push_back(c);
    }
  }
  in.child_begin.push_back(static_cast<int>(in.children.size()));
  return in;
}

TreeLayout layout_tree(const TokenTree& tree, std::span<const NodeSize> sizes,
                       const LayoutOptions& options) {
  return layout_tree(layout_input(tree, options.max_step), sizes, options);
}

TreeLayout layout_tree(const LayoutInput& input, std::span<const NodeSize> sizes,
                       const LayoutOptions& options) {
  const int n = input.size();
  const NodeSize default_size;
  auto size_of = [&](int id) -> const NodeSize& {
    return sizes.size() == static_cast<std::size_t>(n) ? sizes[static_cast<std::size_t>(id)]
                                                       : default_size;
  };
  // The algorithm works in two axes: breadth (where siblings stack) and
  // depth (where generations follow). Left to right, breadth is y.
  const bool ltr = options.orientation == LayoutOrientation::LeftToRight;
  auto breadth_of = [&](int id) { return ltr ? size_of(id).height : size_of(id).width; };
  auto depth_size_of = [&](int id) { return ltr ? size_of(id).width : size_of(id).height; };

  TreeLayout out;
  out.orientation = options.orientation;
  out.x.assign(static_cast<std::size_t>(n), 0.0);
  out.y.assign(static_cast<std::size_t>(n), 0.0);
  out.visible.assign(static_cast<std::size_t>(n), 0);
  if (n == 0 || !input.visible[0]) return out;

  // Visibility and depth, parents first.
  std::vector<int> depth(static_cast<std::size_t>(n), 0);
  out.visible[0] = 1;
  std::vector<double> column_width;
  column_width.push_back(depth_size_of(0));
  for (int id = 1; id < n; ++id) {
    const int p = input.parent[static_cast<std::size_t>(id)];
    if (p < 0 || p >= id || !out.visible[static_cast<std::size_t>(p)]) continue;
    if (!input.visible[static_cast<std::size_t>(id)]) continue;
    out.visible[static_cast<std::size_t>(id)] = 1;
    const int d = depth[static_cast<std::size_t>(p)] + 1;
    depth[static_cast<std::size_t>(id)] = d;
    if (static_cast<int>(column_width.size()) <= d) column_width.push_back(0.0);
    column_width[static_cast<std::size_t>(d)] =
        std::max(column_width[static_cast<std::size_t>(d)], depth_size_of(id));
  }
  auto shown_child = [&](int id, int c) {
    return c > id && c < n && out.visible[static_cast<std::size_t>(c)] &&
           input.parent[static_cast<std::size_t>(c)] == id;
  };

  // Bottom-up: children before parents is simply descending id order.
  std::vector<Contour> contour(static_cast<std::size_t>(n));
  std::vector<double> rel(static_cast<std::size_t>(n), 0.0);  // centre relative to parent
  std::vector<double> child_shift;
  for (int id = n - 1; id >= 0; --id) {
    if (!out.visible[static_cast<std::size_t>(id)]) continue;
    Contour acc;
    child_shift.clear();
    bool first = true;
    for (int c : input.children_of(id)) {
      if (!shown_child(id, c)) continue;
      Contour& cc = contour[static_cast<std::size_t>(c)];
      if (first) {
        acc = std::move(cc);
        child_shift.push_back(0.0);
        first = false;
      } else {
        const double shift = separation(acc, cc, options.row_gap);
        merge_below(acc, std::move(cc), shift);
        child_shift.push_back(shift);
      }
      cc = Contour{};  // release memory early
    }
    // Centre the parent on its first and last child.
    const double mid = child_shift.empty() ? 0.0 : child_shift.back() / 2.0;
    std::size_t k = 0;
    for (int c : input.children_of(id)) {
      if (shown_child(id, c)) rel[static_cast<std::size_t>(c)] = child_shift[k++] - mid;
    }
    acc.offset -= mid;
    const double half = breadth_of(id) / 2.0;
    acc.levels.push_back(Extent{-half - acc.offset, half - acc.offset});
    contour[static_cast<std::size_t>(id)] = std::move(acc);
  }

  // Top-down: absolute breadth centres, parents first.
  out.column_x.assign(column_width.size(), 0.0);
  for (std::size_t d = 1; d < column_width.size(); ++d) {
    out.column_x[d] = out.column_x[d - 1] + column_width[d - 1] + options.column_gap;
  }
  std::vector<double> centre(static_cast<std::size_t>(n), 0.0);
  double low = 0.0;
  double high = 0.0;
  for (int id = 1; id < n; ++id) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (!out.visible[i]) continue;
    centre[i] = centre[static_cast<std::size_t>(input.parent[i])] + rel[i];
  }
  for (int id = 0; id < n; ++id) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (!out.visible[i]) continue;
    low = std::min(low, centre[i] - breadth_of(id) / 2.0);
    high = std::max(high, centre[i] + breadth_of(id) / 2.0);
  }
  // Boxes: the bounding box starts at the origin. Top to bottom, a box sits
  // in the middle of its row so edges meet boxes of one row at one height.
  for (int id = 0; id < n; ++id) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (!out.visible[i]) continue;
    const std::size_t d = static_cast<std::size_t>(depth[i]);
    const double b = centre[i] - low;
    if (ltr) {
      out.x[i] = out.column_x[d];
      out.y[i] = b;
    } else {
      out.x[i] = b - size_of(id).width / 2.0;
      out.y[i] = out.column_x[d] + column_width[d] / 2.0;
    }
  }
  const double breadth = high - low;
  const double length = out.column_x.back() + column_width.back();
  out.width = ltr ? length : breadth;
  out.height = ltr ? breadth : length;
  return out;
}

}  // namespace beamscope
