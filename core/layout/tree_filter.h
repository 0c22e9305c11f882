#pragma once

#include <array>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "layout/tree_layout.h"

namespace beamscope {

class TokenTree;

// What of a tree the view and the exports draw. A beam-16 tree is mostly
// candidates nobody took; a lecture is about the paths that were kept.
enum class TreeFilter {
  Everything,  // every node
  Kept,        // the paths of the beams kept to the end; the rest folds into stubs
  Returned,    // only the paths to the returned sequences; the rest folds into stubs
  Path,        // only the path from the prompt to the focus node (a highlighted result)
  Subtree,     // the path to the focus node and everything below it
};
std::string_view to_string(TreeFilter filter);
std::optional<TreeFilter> parse_tree_filter(std::string_view name);

// What a stub stands for: a parent's hidden children of these kinds.
enum class StubKind { Beams, Pruned, Alternatives };
inline constexpr int kStubKinds = 3;

// One folded group per parent: "+12 alternatives", "+9 pruned, 3 alt.".
// Clicking it opens the group (the children are drawn, followed by the
// stub, now saying "hide 12"); one stub per parent keeps a beam-16 tree's
// every kept node to two rows at most.
struct TreeStub {
  int parent = 0;
  std::array<int, kStubKinds> counts{};  // by StubKind
  bool expanded = false;

  int total() const { return counts[0] + counts[1] + counts[2]; }
};

// A stub's words, e.g. "+12 alternatives", "+9 pruned, 3 alt.", "hide 12".
std::string stub_label(const TreeStub& stub);

// The parents whose stub is open.
using ExpandedStubs = std::set<int>;

// The tree as drawn under a filter: the real nodes keep their ids (so a
// selection, the inspector and highlighting are unaffected) and the stubs
// get ids tree.size(), tree.size() + 1, ... after them.
struct FilteredTree {
  LayoutInput input;
  std::vector<TreeStub> stubs;
  int node_count = 0;  // real nodes; display id >= node_count is a stub

  bool is_stub(int id) const { return id >= node_count && id < input.size(); }
  const TreeStub& stub(int id) const { return stubs[static_cast<std::size_t>(id - node_count)]; }
  bool shows(int id) const {
    return id >= 0 && id < input.size() && input.visible[static_cast<std::size_t>(id)];
  }
};

// Applies the filter to the nodes with step <= max_step (playback). With
// Everything there are no stubs and the input is layout_input(tree). Path
// and Subtree need a `focus` node of the tree; without one (-1, or out of
// range) they show the kept beams.
FilteredTree filter_tree(const TokenTree& tree, TreeFilter filter,
                         const ExpandedStubs& expanded = {},
                         int max_step = std::numeric_limits<int>::max(), int focus = -1);

}  // namespace beamscope
