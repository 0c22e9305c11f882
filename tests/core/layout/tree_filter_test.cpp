// The view filter: kept beams / returned paths / everything, with the hidden
// children of each parent folded into stubs that open and close again.
#include <gtest/gtest.h>

#include "decoding/token_tree.h"
#include "layout/tree_filter.h"

namespace beamscope {
namespace {

// root -> a (selected), b (selected), c (pruned), d, e (alternatives);
// a -> a1 (returned), a2 (alternative); b -> b1 (pruned), b2 (finished);
// e (selected) -> e1 (pruned): a beam dropped on the way.
struct Sample {
  TokenTree tree;
  int a, b, c, d, e, a1, a2, b1, b2, e1;
  Sample() {
    a = tree.add_child(0, 1, "a", -0.5);
    b = tree.add_child(0, 2, "b", -1.0);
    c = tree.add_child(0, 3, "c", -2.0);
    d = tree.add_child(0, 4, "d", -3.0);
    e = tree.add_child(0, 5, "e", -4.0);
    a1 = tree.add_child(a, 6, "a1", -0.1);
    a2 = tree.add_child(a, 7, "a2", -3.0);
    b1 = tree.add_child(b, 8, "b1", -0.2);
    b2 = tree.add_child(b, 9, "b2", -0.3);
    e1 = tree.add_child(e, 10, "e1", -0.3);
    tree.node(b2).status = NodeStatus::Finished;
    tree.node(e1).status = NodeStatus::Pruned;
    tree.node(a).status = tree.node(b).status = tree.node(e).status = NodeStatus::Selected;
    tree.node(c).status = tree.node(b1).status = NodeStatus::Pruned;
    tree.node(d).status = tree.node(a2).status = NodeStatus::Alternative;
    tree.node(a1).status = NodeStatus::Returned;
    ReturnedSequence seq;
    seq.node = a1;
    tree.sequences.push_back(seq);
  }
};

std::vector<std::string> stub_labels(const FilteredTree& f) {
  std::vector<std::string> out;
  for (const TreeStub& s : f.stubs) out.push_back(std::to_string(s.parent) + ":" + stub_label(s));
  return out;
}

TEST(TreeFilterTest, EverythingHasNoStubs) {
  Sample s;
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Everything);
  EXPECT_TRUE(f.stubs.empty());
  EXPECT_EQ(f.input.size(), s.tree.size());
  for (int id = 0; id < s.tree.size(); ++id) EXPECT_TRUE(f.shows(id)) << id;
}

// Kept: the paths to every finished or returned end; a beam dropped on the
// way (e) folds into its parent's stub with the pruned and alternatives.
TEST(TreeFilterTest, KeptFoldsWhatNoPathKept) {
  Sample s;
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Kept);
  for (int id : {0, s.a, s.b, s.a1, s.b2}) EXPECT_TRUE(f.shows(id)) << id;
  for (int id : {s.c, s.d, s.e, s.a2, s.b1, s.e1}) EXPECT_FALSE(f.shows(id)) << id;
  const std::vector<std::string> want{"0:+1 beam, 1 pruned, 1 alt.", "1:+1 alternative",
                                      "2:+1 pruned"};
  EXPECT_EQ(stub_labels(f), want);
  // Stubs are leaves numbered after the real nodes, drawn after the shown children.
  const auto root_kids = f.input.children_of(0);
  ASSERT_EQ(root_kids.size(), 3u);
  EXPECT_EQ(root_kids[0], s.a);
  EXPECT_EQ(root_kids[1], s.b);
  EXPECT_TRUE(f.is_stub(root_kids[2]));
  EXPECT_EQ(root_kids[2], s.tree.size());
  EXPECT_EQ(f.stub(root_kids[2]).parent, 0);
  EXPECT_TRUE(f.input.children_of(root_kids[2]).empty());
}

TEST(TreeFilterTest, StubOpensAndClosesAgain) {
  Sample s;
  ExpandedStubs open{0};
  FilteredTree f = filter_tree(s.tree, TreeFilter::Kept, open);
  for (int id : {s.c, s.d, s.e}) EXPECT_TRUE(f.shows(id)) << id;
  EXPECT_FALSE(f.shows(s.e1));  // one level at a time: e's own child folds under e
  EXPECT_EQ(stub_labels(f)[0], "0:hide 3");
  const auto kids = f.input.children_of(0);
  EXPECT_EQ(std::vector<int>(kids.begin(), kids.end() - 1),
            (std::vector<int>{s.a, s.b, s.c, s.d, s.e}));  // tree order kept
  EXPECT_EQ(stub_labels(f).back(), std::to_string(s.e) + ":+1 pruned");
  open.clear();
  f = filter_tree(s.tree, TreeFilter::Kept, open);
  EXPECT_FALSE(f.shows(s.d));
  EXPECT_EQ(stub_labels(f)[0], "0:+1 beam, 1 pruned, 1 alt.");
}

TEST(TreeFilterTest, ReturnedShowsOnlyTheAnswerPaths) {
  Sample s;
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Returned);
  for (int id = 0; id < s.tree.size(); ++id) {
    EXPECT_EQ(f.shows(id), id == 0 || id == s.a || id == s.a1) << id;
  }
  const std::vector<std::string> want{"0:+2 beams, 1 pruned, 1 alt.", "1:+1 alternative"};
  EXPECT_EQ(stub_labels(f), want);
}

// A live decode has no sequences yet: "returned" shows the kept beams.
TEST(TreeFilterTest, ReturnedWithoutAnswersShowsKeptBeams) {
  Sample s;
  s.tree.sequences.clear();
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Returned);
  EXPECT_TRUE(f.shows(s.b2));
  EXPECT_FALSE(f.shows(s.e));
}

// The beams still running at the deepest step are ends of kept paths.
TEST(TreeFilterTest, RunningBeamsAtTheFrontierAreKept) {
  Sample s;
  s.tree.node(s.e1).status = NodeStatus::Selected;
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Kept);
  EXPECT_TRUE(f.shows(s.e));
  EXPECT_TRUE(f.shows(s.e1));
}

TEST(TreeFilterTest, PlaybackStepLimitsNodesAndStubCounts) {
  Sample s;
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Kept, {}, 1);
  EXPECT_FALSE(f.shows(s.a1));
  for (int id : {s.a, s.b, s.e}) EXPECT_TRUE(f.shows(id)) << id;  // the frontier at step 1
  EXPECT_EQ(stub_labels(f), (std::vector<std::string>{"0:+1 pruned, 1 alt."}));
}

TEST(TreeFilterTest, PathShowsOneLineOfTokens) {
  Sample s;
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Path, {}, 1 << 30, s.b2);
  for (int id = 0; id < s.tree.size(); ++id) {
    EXPECT_EQ(f.shows(id), id == 0 || id == s.b || id == s.b2) << id;
  }
  EXPECT_EQ(stub_labels(f),
            (std::vector<std::string>{"0:+2 beams, 1 pruned, 1 alt.", "2:+1 pruned"}));
}

TEST(TreeFilterTest, SubtreeShowsThePathAndAllBelow) {
  Sample s;
  const FilteredTree f = filter_tree(s.tree, TreeFilter::Subtree, {}, 1 << 30, s.b);
  for (int id = 0; id < s.tree.size(); ++id) {
    EXPECT_EQ(f.shows(id), id == 0 || id == s.b || id == s.b1 || id == s.b2) << id;
  }
  // No focus node: the kept beams.
  const FilteredTree kept = filter_tree(s.tree, TreeFilter::Subtree, {}, 1 << 30, -1);
  EXPECT_TRUE(kept.shows(s.a1));
}

TEST(TreeFilterTest, NamesRoundTrip) {
  for (TreeFilter f : {TreeFilter::Everything, TreeFilter::Kept, TreeFilter::Returned,
                       TreeFilter::Path, TreeFilter::Subtree}) {
    EXPECT_EQ(parse_tree_filter(to_string(f)), f);
  }
  EXPECT_FALSE(parse_tree_filter("all").has_value());
}

}  // namespace
}  // namespace beamscope
