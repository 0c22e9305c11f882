// The tidy tree layout: no overlaps, parents left of children and centred on
// them, compact packing, playback hiding, and linear time on 20k nodes.
#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <map>
#include <random>

#include "decoding/token_tree.h"
#include "tree_layout.h"

using beamscope::TokenTree;
using beamscope::ui::layout_tree;
using beamscope::ui::LayoutOptions;
using beamscope::ui::NodeSize;
using beamscope::ui::TreeLayout;

namespace {

// A random tree where every new node picks a parent among the recent ones, so
// it is both deep and bushy (like a beam tree with alternatives).
TokenTree random_tree(int n, unsigned seed) {
  TokenTree tree;
  std::mt19937 rng(seed);
  for (int i = 1; i < n; ++i) {
    const int lo = std::max(0, tree.size() - 40);
    std::uniform_int_distribution<int> pick(lo, tree.size() - 1);
    tree.add_child(pick(rng), i, "t", -1.0);
  }
  return tree;
}

std::vector<NodeSize> random_sizes(int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> w(30.0, 140.0);
  std::uniform_real_distribution<double> h(20.0, 50.0);
  std::vector<NodeSize> sizes(static_cast<std::size_t>(n));
  for (auto& s : sizes) s = NodeSize{w(rng), h(rng)};
  return sizes;
}

// Checks the geometric promises of the layout; returns an empty string when
// all hold, else what broke (so QVERIFY2 can say it).
QString check_layout(const TokenTree& tree, const TreeLayout& layout,
                     const std::vector<NodeSize>& sizes, const LayoutOptions& options) {
  const double eps = 1e-6;
  auto size_of = [&](int id) { return sizes.empty() ? NodeSize{} : sizes[std::size_t(id)]; };
  std::map<double, std::vector<int>> columns;  // left x -> nodes
  for (int id = 0; id < tree.size(); ++id) {
    if (!layout.visible[std::size_t(id)]) continue;
    const double x = layout.x[std::size_t(id)];
    const double y = layout.y[std::size_t(id)];
    if (y - size_of(id).height / 2 < -eps || y + size_of(id).height / 2 > layout.height + eps)
      return QStringLiteral("node %1 outside the bounding box").arg(id);
    if (x + size_of(id).width > layout.width + eps)
      return QStringLiteral("node %1 wider than the bounding box").arg(id);
    columns[x].push_back(id);
    const int p = tree.node(id).parent;
    if (p >= 0) {
      if (!(layout.x[std::size_t(p)] + size_of(p).width + options.column_gap <= x + eps))
        return QStringLiteral("node %1 is not right of its parent %2").arg(id).arg(p);
    }
    // Parent centred on its first and last visible child.
    std::vector<int> kids;
    for (int c : tree.node(id).children)
      if (layout.visible[std::size_t(c)]) kids.push_back(c);
    if (!kids.empty()) {
      const double mid =
          (layout.y[std::size_t(kids.front())] + layout.y[std::size_t(kids.back())]) / 2;
      if (std::abs(mid - y) > 1e-6) return QStringLiteral("node %1 not centred").arg(id);
      for (std::size_t k = 1; k < kids.size(); ++k) {
        if (layout.y[std::size_t(kids[k])] <= layout.y[std::size_t(kids[k - 1])])
          return QStringLiteral("children of %1 out of order").arg(id);
      }
    }
  }
  for (auto& [x, ids] : columns) {
    std::sort(ids.begin(), ids.end(),
              [&](int a, int b) { return layout.y[std::size_t(a)] < layout.y[std::size_t(b)]; });
    for (std::size_t k = 1; k < ids.size(); ++k) {
      const int a = ids[k - 1], b = ids[k];
      const double bottom_a = layout.y[std::size_t(a)] + size_of(a).height / 2;
      const double top_b = layout.y[std::size_t(b)] - size_of(b).height / 2;
      if (top_b - bottom_a < options.row_gap - eps)
        return QStringLiteral("nodes %1 and %2 overlap (gap %3)")
            .arg(a)
            .arg(b)
            .arg(top_b - bottom_a);
    }
  }
  return {};
}

}  // namespace

class TreeLayoutTest : public QObject {
  Q_OBJECT

 private slots:
  void singleRoot() {
    TokenTree tree;
    const TreeLayout layout = layout_tree(tree);
    QCOMPARE(layout.size(), 1);
    QCOMPARE(layout.x[0], 0.0);
    QCOMPARE(layout.height, NodeSize{}.height);
    QCOMPARE(layout.y[0], NodeSize{}.height / 2);
  }

  void chainIsStraight() {
    TokenTree tree;
    int last = 0;
    for (int i = 0; i < 10; ++i) last = tree.add_child(last, i, "a", -0.1);
    const TreeLayout layout = layout_tree(tree);
    for (int id = 1; id < tree.size(); ++id) {
      QCOMPARE(layout.y[std::size_t(id)], layout.y[0]);
      QVERIFY(layout.x[std::size_t(id)] > layout.x[std::size_t(id - 1)]);
    }
  }

  // A shallow subtree tucks in right under its sibling when the sibling's
  // own descendants hang lower only at deeper columns (contour packing, not
  // one row per leaf).
  void packsByContour() {
    TokenTree tree;
    const int a = tree.add_child(0, 1, "a", -0.1);
    const int a1 = tree.add_child(a, 2, "a1", -0.1);
    for (int i = 0; i < 6; ++i) tree.add_child(a1, 10 + i, "x", -1.0);
    const int b = tree.add_child(0, 3, "b", -2.0);
    LayoutOptions options;
    const TreeLayout layout = layout_tree(tree, {}, options);
    QVERIFY(check_layout(tree, layout, {}, options).isEmpty());
    const double row = NodeSize{}.height + options.row_gap;
    QCOMPARE(layout.y[std::size_t(b)] - layout.y[std::size_t(a)], row);
  }

  void completeBinaryTreeHeight() {
    TokenTree tree;
    std::vector<int> level{0};
    for (int depth = 0; depth < 8; ++depth) {
      std::vector<int> next;
      for (int p : level) {
        next.push_back(tree.add_child(p, 0, "l", -0.7));
        next.push_back(tree.add_child(p, 1, "r", -0.7));
      }
      level = next;
    }
    LayoutOptions options;
    const TreeLayout layout = layout_tree(tree, {}, options);
    QVERIFY(check_layout(tree, layout, {}, options).isEmpty());
    const double leaves = 256;
    QCOMPARE(layout.height, leaves * NodeSize{}.height + (leaves - 1) * options.row_gap);
  }

  void randomTreesHaveNoOverlaps_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<unsigned>("seed");
    QTest::addColumn<bool>("varied");
    for (unsigned seed = 1; seed <= 6; ++seed) {
      QTest::addRow("n=300 seed=%u", seed) << 300 << seed << (seed % 2 == 0);
      QTest::addRow("n=3000 seed=%u", seed) << 3000 << seed << (seed % 2 == 1);
    }
  }
  void randomTreesHaveNoOverlaps() {
    QFETCH(int, n);
    QFETCH(unsigned, seed);
    QFETCH(bool, varied);
    const TokenTree tree = random_tree(n, seed);
    const std::vector<NodeSize> sizes = varied ? random_sizes(n, seed) : std::vector<NodeSize>{};
    LayoutOptions options;
    const TreeLayout layout = layout_tree(tree, sizes, options);
    const QString problem = check_layout(tree, layout, sizes, options);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void playbackHidesLaterSteps() {
    const TokenTree tree = random_tree(500, 7);
    LayoutOptions options;
    options.max_step = 3;
    const TreeLayout layout = layout_tree(tree, {}, options);
    int shown = 0;
    for (int id = 0; id < tree.size(); ++id) {
      const bool expect = tree.node(id).step <= 3;
      QCOMPARE(bool(layout.visible[std::size_t(id)]), expect);
      shown += expect;
    }
    QVERIFY(shown > 1 && shown < tree.size());
    QCOMPARE(int(layout.column_x.size()), 4);
    QVERIFY(check_layout(tree, layout, {}, options).isEmpty());
  }

  // 20k nodes lay out without overlaps. The time is printed for the record;
  // it is measured (and held to the 100 ms target) in bench/tree_ui_bench.cpp,
  // never asserted here where a busy machine could fail it.
  void twentyThousandNodes() {
    const TokenTree tree = random_tree(20000, 42);
    const std::vector<NodeSize> sizes = random_sizes(20000, 42);
    std::vector<qint64> times;
    TreeLayout layout;
    for (int run = 0; run < 5; ++run) {
      QElapsedTimer timer;
      timer.start();
      layout = layout_tree(tree, sizes);
      times.push_back(timer.nsecsElapsed());
    }
    std::sort(times.begin(), times.end());
    const double ms = double(times[2]) / 1e6;
    qInfo("layout of 20000 nodes: median %.2f ms", ms);
    QVERIFY(check_layout(tree, layout, sizes, LayoutOptions{}).isEmpty());
  }

  // A deep chain (10k) must not recurse or go quadratic.
  void deepChain() {
    TokenTree tree;
    int last = 0;
    for (int i = 0; i < 10000; ++i) {
      last = tree.add_child(last, i, "a", -0.1);
      if (i % 100 == 0) tree.add_child(tree.node(last).parent, i, "alt", -3.0);
    }
    const TreeLayout layout = layout_tree(tree);  // no recursion: no stack overflow
    QVERIFY(check_layout(tree, layout, {}, LayoutOptions{}).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TreeLayoutTest)
#include "tree_layout_test.moc"
