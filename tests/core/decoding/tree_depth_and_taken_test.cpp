// The two facts about a tree that the view, the exports and "what if" all
// ask: how deep it is and whether a node's token was taken.
#include <gtest/gtest.h>

#include "decoding/token_tree.h"

namespace beamscope {
namespace {

TEST(TokenTreeFacts, TakenIsAPathTheStrategyWent) {
  EXPECT_TRUE(is_taken(NodeStatus::Selected));
  EXPECT_TRUE(is_taken(NodeStatus::Finished));
  EXPECT_TRUE(is_taken(NodeStatus::Returned));
  EXPECT_FALSE(is_taken(NodeStatus::Alternative));
  EXPECT_FALSE(is_taken(NodeStatus::Pruned));
  EXPECT_FALSE(is_taken(NodeStatus::Root));
}

TEST(TokenTreeFacts, DepthIsTheLargestStepWhereverItIs) {
  TokenTree t;
  EXPECT_EQ(t.depth(), 0);
  const int a = t.add_child(0, 1, "a", -0.1);
  const int b = t.add_child(a, 2, "b", -0.1);
  t.add_child(b, 3, "c", -0.1);
  // The deepest node is not the last one appended.
  t.add_child(0, 4, "d", -2.0);
  EXPECT_EQ(t.depth(), 3);
  t.remove_subtree(b);
  EXPECT_EQ(t.depth(), 1);
}

}  // namespace
}  // namespace beamscope
