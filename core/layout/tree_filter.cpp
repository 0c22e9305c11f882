#include "layout/tree_filter.h"

#include <algorithm>
#include <array>

#include "decoding/token_tree.h"

namespace beamscope {

std::string_view to_string(TreeFilter filter) {
  switch (filter) {
    case TreeFilter::Everything:
      return "everything";
    case TreeFilter::Kept:
      return "kept";
    case TreeFilter::Returned:
      return "returned";
    case TreeFilter::Path:
      return "path";
    case TreeFilter::Subtree:
      return "subtree";
  }
  return "everything";
}

std::optional<TreeFilter> parse_tree_filter(std::string_view name) {
  for (TreeFilter f : {TreeFilter::Everything, TreeFilter::Kept, TreeFilter::Returned,
                       TreeFilter::Path, TreeFilter::Subtree}) {
    if (name == to_string(f)) return f;
  }
  return std::nullopt;
}

std::string stub_label(const TreeStub& stub) {
  if (stub.expanded) return "hide " + std::to_string(stub.total());
  static constexpr std::array<const char*, kStubKinds> one{"other beam", "pruned", "alternative"};
  static constexpr std::array<const char*, kStubKinds> many{"other beams", "pruned",
                                                            "alternatives"};
  static constexpr std::array<const char*, kStubKinds> brief_one{"beam", "pruned", "alt."};
  static constexpr std::array<const char*, kStubKinds> brief_many{"beams", "pruned", "alt."};
  int kinds = 0;
  for (int c : stub.counts) kinds += c > 0;
  std::string out;
  for (std::size_t k = 0; k < stub.counts.size(); ++k) {
    const int c = stub.counts[k];
    if (c == 0) continue;
    out += (out.empty() ? "+" : ", ") + std::to_string(c) + " ";
    out += kinds > 1 ? (c == 1 ? brief_one[k] : brief_many[k]) : c == 1 ? one[k] : many[k];
  }
  return out;
}

namespace {

StubKind kind_of(const TreeNode& node) {
  if (node.status == NodeStatus::Pruned) return StubKind::Pruned;
  if (is_taken(node.status)) return StubKind::Beams;
  return StubKind::Alternatives;
}

}  // namespace

FilteredTree filter_tree(const TokenTree& tree, TreeFilter filter, const ExpandedStubs& expanded,
                         int max_step, int focus) {
  FilteredTree out;
  out.node_count = tree.size();
  out.input = layout_input(tree, max_step);
  // Without returned sequences (a decode still running) there is no answer
  // to show the path of; the kept beams are the useful view then.
  if (filter == TreeFilter::Returned && tree.sequences.empty()) filter = TreeFilter::Kept;
  const bool has_focus = focus >= 0 && focus < tree.size();
  if ((filter == TreeFilter::Path || filter == TreeFilter::Subtree) && !has_focus) {
    filter = TreeFilter::Kept;
  }
  if (filter == TreeFilter::Everything || tree.size() == 0) return out;

  const int n = tree.size();
  // The paths worth drawing end at a returned sequence (Returned) or at any
  // hypothesis that finished or is still running at the deepest step shown
  // (Kept); a forced "what if" always stays in view. A beam that was dropped
  // on the way folds into its parent's "+N other beams".
  std::vector<char> on_path(static_cast<std::size_t>(n), 0);
  if (filter == TreeFilter::Path || filter == TreeFilter::Subtree) {
    on_path[static_cast<std::size_t>(focus)] = 1;
    if (filter == TreeFilter::Subtree) {
      // Descendants come after their ancestors: one pass marks the subtree.
      std::vector<char> below(static_cast<std::size_t>(n), 0);
      below[static_cast<std::size_t>(focus)] = 1;
      for (int id = focus + 1; id < n; ++id) {
        const int p = out.input.parent[static_cast<std::size_t>(id)];
        below[static_cast<std::size_t>(id)] = p >= 0 && below[static_cast<std::size_t>(p)];
        on_path[static_cast<std::size_t>(id)] = below[static_cast<std::size_t>(id)];
      }
    }
  } else if (filter == TreeFilter::Returned) {
    for (const ReturnedSequence& seq : tree.sequences) {
      if (seq.node >= 0 && seq.node < n && out.input.visible[static_cast<std::size_t>(seq.node)]) {
        on_path[static_cast<std::size_t>(seq.node)] = 1;
      }
    }
  } else {
    int frontier = 0;
    for (int id = 0; id < n; ++id) {
      const TreeNode& node = tree.node(id);
      if (out.input.visible[static_cast<std::size_t>(id)] && is_taken(node.status)) {
        frontier = std::max(frontier, node.step);
      }
    }
    for (int id = 0; id < n; ++id) {
      const TreeNode& node = tree.node(id);
      const bool ends = node.status == NodeStatus::Finished ||
                        node.status == NodeStatus::Returned || node.forced ||
                        (is_taken(node.status) && node.step == frontier);
      if (ends && out.input.visible[static_cast<std::size_t>(id)]) {
        on_path[static_cast<std::size_t>(id)] = 1;
      }
    }
  }
  for (int id = n - 1; id > 0; --id) {  // children before parents
    const int p = out.input.parent[static_cast<std::size_t>(id)];
    if (on_path[static_cast<std::size_t>(id)] && p >= 0) on_path[static_cast<std::size_t>(p)] = 1;
  }
  auto wanted = [&](int id) { return on_path[static_cast<std::size_t>(id)] != 0; };

  // Rebuild the child lists: shown children in their order, then the
  // parent's stub. Parents come before children, so a node's visibility is
  // final by the time its own children are sorted.
  const LayoutInput all = std::move(out.input);
  LayoutInput& in = out.input;
  in.parent = all.parent;
  in.visible.assign(static_cast<std::size_t>(n), 0);
  in.visible[0] = all.visible[0];
  in.child_begin.clear();
  in.children.clear();
  for (int id = 0; id < n; ++id) {
    in.child_begin.push_back(static_cast<int>(in.children.size()));
    if (!in.visible[static_cast<std::size_t>(id)]) continue;
    const bool open = expanded.count(id) != 0;
    TreeStub stub{id, {}, open};
    for (int c : all.children_of(id)) {
      if (!all.visible[static_cast<std::size_t>(c)]) continue;  // past the playback step
      const bool keep = wanted(c);
      if (keep || open) {
        in.visible[static_cast<std::size_t>(c)] = 1;
        in.children.push_back(c);
      }
      // An open group still counts what it shows, so its stub can say "hide N".
      if (!keep) ++stub.counts[static_cast<std::size_t>(kind_of(tree.node(c)))];
    }
    if (stub.total() == 0) continue;
    in.children.push_back(n + static_cast<int>(out.stubs.size()));
    out.stubs.push_back(stub);
  }
  for (const TreeStub& stub : out.stubs) {
    in.child_begin.push_back(static_cast<int>(in.children.size()));  // stubs are leaves
    in.parent.push_back(stub.parent);
    in.visible.push_back(1);
  }
  in.child_begin.push_back(static_cast<int>(in.children.size()));
  return out;
}

}  // namespace beamscope
