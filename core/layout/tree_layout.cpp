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

TreeLayout layout_tree(const TokenTree& tree, std::span<const NodeSize> sizes,
                       const LayoutOptions& options) {
  const int n = tree.size();
  const NodeSize default_size;
  auto size_of = [&](int id) -> const NodeSize& {
    return sizes.size() == static_cast<std::size_t>(n) ? sizes[static_cast<std::size_t>(id)]
                                                       : default_size;
  };

  TreeLayout out;
  out.x.assign(static_cast<std::size_t>(n), 0.0);
  out.y.assign(static_cast<std::size_t>(n), 0.0);
  out.visible.assign(static_cast<std::size_t>(n), 0);
  if (n == 0) return out;

  // Visibility and depth, parents first. A node whose parent does not come
  // before it (a malformed tree) is hidden rather than trusted.
  std::vector<int> depth(static_cast<std::size_t>(n), 0);
  out.visible[0] = 1;
  std::vector<double> column_width;
  column_width.push_back(size_of(0).width);
  for (int id = 1; id < n; ++id) {
    const TreeNode& node = tree.node(id);
    const int p = node.parent;
    if (p < 0 || p >= id || !out.visible[static_cast<std::size_t>(p)]) continue;
    if (node.step > options.max_step) continue;
    out.visible[static_cast<std::size_t>(id)] = 1;
    const int d = depth[static_cast<std::size_t>(p)] + 1;
    depth[static_cast<std::size_t>(id)] = d;
    if (static_cast<int>(column_width.size()) <= d) column_width.push_back(0.0);
    column_width[static_cast<std::size_t>(d)] =
        std::max(column_width[static_cast<std::size_t>(d)], size_of(id).width);
  }

  // Bottom-up: children before parents is simply descending id order.
  std::vector<Contour> contour(static_cast<std::size_t>(n));
  std::vector<double> rel_y(static_cast<std::size_t>(n), 0.0);  // centre relative to parent
  std::vector<double> child_shift;
  for (int id = n - 1; id >= 0; --id) {
    if (!out.visible[static_cast<std::size_t>(id)]) continue;
    const TreeNode& node = tree.node(id);
    Contour acc;
    child_shift.clear();
    bool first = true;
    for (int c : node.children) {
      if (c <= id || c >= n || !out.visible[static_cast<std::size_t>(c)]) continue;
      if (tree.node(c).parent != id) continue;  // malformed child list
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
    for (int c : node.children) {
      if (c <= id || c >= n || !out.visible[static_cast<std::size_t>(c)]) continue;
      if (tree.node(c).parent != id) continue;
      rel_y[static_cast<std::size_t>(c)] = child_shift[k++] - mid;
    }
    acc.offset -= mid;
    const double half = size_of(id).height / 2.0;
    acc.levels.push_back(Extent{-half - acc.offset, half - acc.offset});
    contour[static_cast<std::size_t>(id)] = std::move(acc);
  }

  // Top-down: absolute positions, parents first.
  out.column_x.assign(column_width.size(), 0.0);
  for (std::size_t d = 1; d < column_width.size(); ++d) {
    out.column_x[d] = out.column_x[d - 1] + column_width[d - 1] + options.column_gap;
  }
  double top = 0.0;
  double bottom = 0.0;
  for (int id = 0; id < n; ++id) {
    if (!out.visible[static_cast<std::size_t>(id)]) continue;
    const std::size_t i = static_cast<std::size_t>(id);
    const int p = tree.node(id).parent;
    out.y[i] = id == 0 ? 0.0 : out.y[static_cast<std::size_t>(p)] + rel_y[i];
    out.x[i] = out.column_x[static_cast<std::size_t>(depth[i])];
    const double half = size_of(id).height / 2.0;
    top = std::min(top, out.y[i] - half);
    bottom = std::max(bottom, out.y[i] + half);
  }
  // Move the bounding box to the origin.
  for (int id = 0; id < n; ++id) {
    if (out.visible[static_cast<std::size_t>(id)]) out.y[static_cast<std::size_t>(id)] -= top;
  }
  out.height = bottom - top;
  out.width = out.column_x.back() + column_width.back();
  return out;
}

}  // namespace beamscope
