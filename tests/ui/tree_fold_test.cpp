// Folding in the view: the kept / returned views draw what was not kept as
// "+N" stubs; a click opens a stub and a second click closes it; the tree
// can grow downwards as well as to the right; far out the highlighted path
// keeps its tokens.
#include <QPainter>
#include <QtTest>
#include <algorithm>

#include "edges_item.h"
#include "sample_trees.h"
#include "tree_scene.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

class TreeFoldTest : public QObject {
  Q_OBJECT

 private slots:
  void keptViewFoldsAndAClickOpensAndCloses() {
    TreeScene scene;
    TreeView view(&scene);
    view.resize(1200, 700);
    const TokenTree tree = test::beam_tree();
    scene.setTree(std::make_shared<const TokenTree>(tree), QStringLiteral("The cat sat on the"));
    QCOMPARE(scene.visibleNodeCount(), tree.size());
    scene.setFilter(TreeFilter::Kept);
    const int folded = scene.visibleNodeCount();
    QVERIFY(folded < tree.size());
    QVERIFY(!scene.filteredTree().stubs.empty());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fitTree();

    // The root's stub: one click opens it, another closes it.
    const int stub = tree.size();  // the first stub is the root's
    QVERIFY(scene.isStub(stub));
    QCOMPARE(scene.filteredTree().stub(stub).parent, 0);
    QVERIFY(!scene.filteredTree().stub(stub).expanded);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      view.mapFromScene(scene.nodeRect(stub).center()));
    QVERIFY(scene.visibleNodeCount() > folded);
    QVERIFY(scene.filteredTree().stub(stub).expanded);
    QCOMPARE(scene.selectedNode(), -1);  // a stub is not a node to inspect
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      view.mapFromScene(scene.nodeRect(stub).center()));
    QCOMPARE(scene.visibleNodeCount(), folded);
    QVERIFY(!scene.filteredTree().stub(stub).expanded);

    // Back to everything: no stubs.
    scene.setFilter(TreeFilter::Everything);
    QVERIFY(scene.filteredTree().stubs.empty());
    QCOMPARE(scene.visibleNodeCount(), tree.size());
  }

  void returnedViewShowsTheAnswer() {
    TreeScene scene;
    const TokenTree tree = test::beam_tree();
    scene.setTree(std::make_shared<const TokenTree>(tree), QStringLiteral("x"));
    scene.setFilter(TreeFilter::Returned);
    for (int id : tree.path_nodes(tree.sequences.front().node)) QVERIFY(scene.isNodeVisible(id));
    QCOMPARE(scene.visibleNodeCount(), int(tree.path_nodes(tree.sequences.front().node).size()));
  }

  void downwardsPutsChildrenBelow() {
    TreeScene scene;
    const TokenTree tree = test::beam_tree();
    scene.setTree(std::make_shared<const TokenTree>(tree), QStringLiteral("x"));
    scene.setOrientation(LayoutOrientation::TopToBottom);
    for (int id = 1; id < tree.size(); ++id) {
      const QRectF child = scene.nodeRect(id);
      const QRectF parent = scene.nodeRect(tree.node(id).parent);
      QVERIFY2(child.top() > parent.bottom(), qPrintable(QString::number(id)));
    }
    // Every edge starts at its parent's bottom edge.
    for (const Edge& e : scene.edgesItem()->edges()) {
      const QRectF parent = scene.nodeRect(tree.node(e.child).parent);
      QCOMPARE(e.line.p1().y(), parent.bottom());
    }
  }

  // Far out (level of detail below text) the boxes are blocks of colour, but
  // the highlighted path keeps its tokens: a tag with the token in the
  // background colour is drawn over each path block at a fixed screen size.
  void farOutTheHighlightedPathKeepsItsTokens() {
    TreeScene scene;
    const TokenTree tree = test::beam_tree();
    scene.setTree(std::make_shared<const TokenTree>(tree), QStringLiteral("The cat sat on the"));
    const int end = tree.sequences.front().node;
    scene.setHighlightedNode(end);
    const qreal zoom = 0.2;  // below kLodNoText
    const QRectF source = scene.sceneRect();
    QImage image((source.size() * zoom).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(scene.treeStyle().background);
    {
      QPainter painter(&image);
      scene.render(&painter, QRectF(image.rect()), source, Qt::KeepAspectRatio);
    }
    // The tags are in the highlight colour: far more of it than the path's
    // blocks alone would cover.
    const QRgb highlight = scene.treeStyle().highlight.rgb();
    int tagged = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x) tagged += image.pixel(x, y) == highlight;
    double blocks = 0;
    for (int id : tree.path_nodes(end)) {
      const QRectF box = scene.nodeRect(id);
      blocks += box.width() * box.height() * zoom * zoom;
    }
    qInfo("far out: %d highlight pixels, the path's blocks cover %.0f", tagged, blocks);
    QVERIFY(tagged > 2 * blocks);
  }
};

QTEST_MAIN(TreeFoldTest)
#include "tree_fold_test.moc"
