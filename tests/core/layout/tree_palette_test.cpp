// The tree palette is the one source of the tree's colours: every status is
// told apart in both palettes, and the DOT and TikZ exports draw with it.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <tuple>

#include "decoding/token_tree.h"
#include "io/tree_dot.h"
#include "io/tree_tikz.h"
#include "layout/tree_palette.h"

namespace beamscope {
namespace {

constexpr NodeStatus kStatuses[] = {NodeStatus::Root,        NodeStatus::Selected,
                                    NodeStatus::Alternative, NodeStatus::Pruned,
                                    NodeStatus::Finished,    NodeStatus::Returned};

TEST(TreePaletteTest, HexIsSixUpperCaseDigits) {
  EXPECT_EQ((Rgb{0x2B, 0x6C, 0xC4}.hex()), "2B6CC4");
  EXPECT_EQ((Rgb{0, 0, 0}.hex()), "000000");
  EXPECT_EQ((Rgb{255, 255, 255}.hex()), "FFFFFF");
}

// Each status has its own fill and border in each palette, so nodes are told
// apart by colour as well as by border style.
TEST(TreePaletteTest, EveryStatusLooksDifferent) {
  for (const TreePalette* palette : {&TreePalette::light(), &TreePalette::dark()}) {
    std::set<std::string> fills, borders;
    for (NodeStatus s : kStatuses) {
      fills.insert(palette->of(s).fill.hex());
      borders.insert(palette->of(s).border.hex());
    }
    EXPECT_EQ(fills.size(), std::size(kStatuses));
    EXPECT_EQ(borders.size(), std::size(kStatuses));
    EXPECT_EQ(palette->of(NodeStatus::Alternative).border_style, BorderStyle::Dashed);
    EXPECT_EQ(palette->of(NodeStatus::Pruned).border_style, BorderStyle::Dotted);
    EXPECT_EQ(palette->of(NodeStatus::Returned).border_style, BorderStyle::Solid);
  }
  EXPECT_NE(TreePalette::light().background, TreePalette::dark().background);
}

TEST(TreePaletteTest, OfReturnsTheStatusOwnColours) {
  const TreePalette& p = TreePalette::light();
  EXPECT_EQ(&p.of(NodeStatus::Root), &p.root);
  EXPECT_EQ(&p.of(NodeStatus::Selected), &p.selected);
  EXPECT_EQ(&p.of(NodeStatus::Alternative), &p.alternative);
  EXPECT_EQ(&p.of(NodeStatus::Pruned), &p.pruned);
  EXPECT_EQ(&p.of(NodeStatus::Finished), &p.finished);
  EXPECT_EQ(&p.of(NodeStatus::Returned), &p.returned);
}

TokenTree tree_with_every_status() {
  TokenTree t;
  const int a = t.add_child(0, 1, "a", std::log(0.6));
  const int b = t.add_child(0, 2, "b", std::log(0.3));
  const int c = t.add_child(a, 3, "c", std::log(0.5));
  const int d = t.add_child(a, 4, "d", std::log(0.4));
  const int e = t.add_child(b, 5, "e", std::log(0.9));
  t.node(a).status = NodeStatus::Selected;
  t.node(b).status = NodeStatus::Pruned;
  t.node(c).status = NodeStatus::Returned;
  t.node(d).status = NodeStatus::Alternative;
  t.node(e).status = NodeStatus::Finished;
  ReturnedSequence seq;
  seq.node = c;
  t.sequences.push_back(seq);
  return t;
}

TEST(TreePaletteTest, DotDrawsWithTheLightPalette) {
  const std::string dot = tree_to_dot(tree_with_every_status(), "p");
  const TreePalette& p = TreePalette::light();
  for (NodeStatus s : kStatuses) {
    EXPECT_NE(dot.find("fillcolor=\"#" + p.of(s).fill.hex() + "\""), std::string::npos)
        << to_string(s);
    EXPECT_NE(dot.find("fontcolor=\"#" + p.of(s).text.hex() + "\""), std::string::npos)
        << to_string(s);
  }
  // Alternatives keep a border of their own; the best path is highlighted.
  EXPECT_NE(dot.find("color=\"#" + p.alternative.border.hex() + "\""), std::string::npos);
  EXPECT_NE(dot.find("rounded,filled,dashed"), std::string::npos);
  EXPECT_NE(dot.find("rounded,filled,dotted"), std::string::npos);
  EXPECT_NE(dot.find("color=\"#" + p.highlight.hex() + "\""), std::string::npos);
  EXPECT_NE(dot.find("color=\"#" + p.faint_edge.hex() + "\""), std::string::npos);
  EXPECT_EQ(dot.find("color=\"#" + TreePalette::dark().selected.fill.hex() + "\""),
            std::string::npos);
}

TEST(TreePaletteTest, TikzDefinesTheLightPalette) {
  const std::string tex = tree_to_tikz(tree_with_every_status(), "p");
  const TreePalette& p = TreePalette::light();
  for (const auto& [name, colour] :
       {std::tuple{"takenfill", p.selected.fill}, std::tuple{"takenline", p.selected.border},
        std::tuple{"altfill", p.alternative.fill}, std::tuple{"prunedline", p.pruned.border},
        std::tuple{"finishedfill", p.finished.fill}, std::tuple{"returnedline", p.returned.border},
        std::tuple{"rootfill", p.root.fill}, std::tuple{"takenedge", p.edge},
        std::tuple{"faintedge", p.faint_edge}, std::tuple{"highlight", p.highlight},
        std::tuple{"forced", p.forced}}) {
    EXPECT_NE(tex.find("\\definecolor{" + std::string(name) + "}{HTML}{" + colour.hex() + "}"),
              std::string::npos)
        << name;
  }
  EXPECT_NE(tex.find("\\node[pruned]"), std::string::npos);
  EXPECT_NE(tex.find("\\node[finished]"), std::string::npos);
}

}  // namespace
}  // namespace beamscope
