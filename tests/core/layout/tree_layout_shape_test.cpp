// The layout's shape: top-to-bottom keeps the tidy-tree promises too, and on
// a real beam-16 tree (the bundled model) folding what nobody kept turns the
// old strip into a drawing a slide can hold. The numbers are printed.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "decoding/token_tree.h"
#include "layout/tree_filter.h"
#include "layout/tree_layout.h"
#include "model/model_folder.h"

namespace beamscope {
namespace {

// Box sizes roughly as the app measures labels: ~7 px a character.
std::vector<NodeSize> label_sizes(const TokenTree& tree, int stubs = 0) {
  std::vector<NodeSize> sizes;
  for (const TreeNode& n : tree.nodes()) {
    sizes.push_back(NodeSize{std::max(96.0, 7.0 * static_cast<double>(n.text.size()) + 12.0), 40});
  }
  for (int i = 0; i < stubs; ++i) sizes.push_back(NodeSize{96.0, 26});  // one line
  return sizes;
}

// Top-to-bottom promises: rows by depth, children below their parent and
// centred under it in order, no two boxes of a row closer than the gap.
std::string check_top_to_bottom(const LayoutInput& in, const TreeLayout& l,
                                const std::vector<NodeSize>& sizes, const LayoutOptions& o) {
  const double eps = 1e-6;
  std::map<double, std::vector<int>> rows;
  for (int id = 0; id < in.size(); ++id) {
    const std::size_t i = std::size_t(id);
    if (!l.visible[i]) continue;
    const double h = sizes[i].height, w = sizes[i].width;
    if (l.x[i] < -eps || l.x[i] + w > l.width + eps || l.y[i] - h / 2 < -eps ||
        l.y[i] + h / 2 > l.height + eps)
      return "node " + std::to_string(id) + " outside the bounding box";
    rows[l.y[i]].push_back(id);
    const int p = in.parent[i];
    if (p >= 0 && l.y[std::size_t(p)] + sizes[std::size_t(p)].height / 2 + o.column_gap >
                      l.y[i] - h / 2 + eps)
      return "node " + std::to_string(id) + " is not below its parent";
    std::vector<int> kids;
    for (int c : in.children_of(id))
      if (l.visible[std::size_t(c)]) kids.push_back(c);
    if (kids.empty()) continue;
    auto cx = [&](int k) { return l.x[std::size_t(k)] + sizes[std::size_t(k)].width / 2; };
    if (std::abs((cx(kids.front()) + cx(kids.back())) / 2 - cx(id)) > 1e-6)
      return "node " + std::to_string(id) + " not centred";
    for (std::size_t k = 1; k < kids.size(); ++k)
      if (cx(kids[k]) <= cx(kids[k - 1]))
        return "children of " + std::to_string(id) + " out of order";
  }
  for (auto& [y, ids] : rows) {
    std::sort(ids.begin(), ids.end(),
              [&](int a, int b) { return l.x[std::size_t(a)] < l.x[std::size_t(b)]; });
    for (std::size_t k = 1; k < ids.size(); ++k) {
      const std::size_t a = std::size_t(ids[k - 1]), b = std::size_t(ids[k]);
      if (l.x[b] - (l.x[a] + sizes[a].width) < o.row_gap - eps)
        return "nodes " + std::to_string(a) + " and " + std::to_string(b) + " overlap";
    }
  }
  return {};
}

TEST(TreeLayoutShapeTest, TopToBottomRandomTrees) {
  for (unsigned seed = 1; seed <= 4; ++seed) {
    TokenTree tree;
    std::mt19937 rng(seed);
    for (int i = 1; i < 800; ++i) {
      std::uniform_int_distribution<int> pick(std::max(0, tree.size() - 30), tree.size() - 1);
      tree.add_child(pick(rng), i, std::string(std::size_t(1 + rng() % 12), 'x'), -1.0);
    }
    std::vector<NodeSize> sizes = label_sizes(tree);
    for (auto& s : sizes) s.height = 20.0 + double(rng() % 30);
    LayoutOptions o;
    o.orientation = LayoutOrientation::TopToBottom;
    const LayoutInput in = layout_input(tree);
    const TreeLayout l = layout_tree(in, sizes, o);
    EXPECT_EQ(l.orientation, LayoutOrientation::TopToBottom);
    EXPECT_EQ(check_top_to_bottom(in, l, sizes, o), "") << "seed " << seed;
  }
}

// Stubs lay out like leaves, after the shown children.
TEST(TreeLayoutShapeTest, StubsAreLaidOutAsLeaves) {
  TokenTree tree;
  const int a = tree.add_child(0, 1, "a", -0.1);
  for (int i = 0; i < 8; ++i) tree.add_child(0, 10 + i, "alt", -3.0);
  tree.node(a).status = NodeStatus::Selected;
  for (int i = 1; i < tree.size(); ++i)
    if (i != a) tree.node(i).status = NodeStatus::Alternative;
  const FilteredTree f = filter_tree(tree, TreeFilter::Kept);
  ASSERT_EQ(f.stubs.size(), 1u);
  const std::vector<NodeSize> sizes = label_sizes(tree, 1);
  const TreeLayout l = layout_tree(f.input, sizes);
  const std::size_t stub = std::size_t(tree.size());
  EXPECT_TRUE(l.visible[stub]);
  EXPECT_GT(l.y[stub], l.y[std::size_t(a)]);
  EXPECT_EQ(l.x[stub], l.x[std::size_t(a)]);
  // Two rows instead of nine.
  EXPECT_DOUBLE_EQ(l.height, 40.0 + 26.0 + LayoutOptions{}.row_gap);
}

double aspect(const TreeLayout& l) { return l.height / l.width; }

// The case of issue 17: beam 16, 30 new tokens, 5 alternatives. Everything
// left to right was a strip ~10× taller than wide; the kept beams with
// stubs must be at most twice as tall as wide. (Top to bottom this tree is
// wide and flat; it is laid out and checked, and the exports pick whichever
// orientation fills their page.)
TEST(TreeLayoutShapeTest, BeamSixteenIsNoLongerAStrip) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(bundled_model_dir() / "model.safetensors", ec)) {
    GTEST_SKIP() << "bundled model not found";
  }
  LoadedModel loaded = load_model(bundled_model_dir());
  LogitsCache cache;
  Decoder decoder(*loaded.model, *loaded.tokenizer, loaded.info.eos_ids, cache);
  DecodeParams params;
  params.strategy = StrategyKind::Beam;
  params.num_beams = 16;
  params.max_new_tokens = 30;
  params.alternatives = 5;
  const TokenTree tree = decoder.run(loaded.tokenizer->encode("The cat sat on the"), params).tree;

  const TreeLayout old_layout = layout_tree(tree, label_sizes(tree));
  const FilteredTree kept = filter_tree(tree, TreeFilter::Kept);
  const std::vector<NodeSize> sizes = label_sizes(tree, int(kept.stubs.size()));
  const TreeLayout ltr = layout_tree(kept.input, sizes);
  LayoutOptions down;
  down.orientation = LayoutOrientation::TopToBottom;
  const TreeLayout ttb = layout_tree(kept.input, sizes, down);
  std::printf(
      "beam 16 (%d nodes): everything left-to-right %.0f x %.0f (height/width %.2f); "
      "kept beams + %zu stubs left-to-right %.0f x %.0f (%.2f), top-to-bottom %.0f x %.0f "
      "(%.2f)\n",
      tree.size(), old_layout.width, old_layout.height, aspect(old_layout), kept.stubs.size(),
      ltr.width, ltr.height, aspect(ltr), ttb.width, ttb.height, aspect(ttb));
  EXPECT_GT(aspect(old_layout), 4.0);  // the strip the issue saw
  EXPECT_LE(aspect(ltr), 2.0);
  EXPECT_EQ(check_top_to_bottom(kept.input, ttb, sizes, down), "");
}

}  // namespace
}  // namespace beamscope
