// Issue 17: steps and parameter changes move nodes to their new places
// instead of the tree jumping. Tested on the scene's state, not on timing:
// right after a change a node is drawn where it was (a new one where its
// parent was) and is on its way to the box the layout gives it; a click or
// key in the view skips to the end; without asking (tests, exports) and
// during a live run every layout is final at once.
#include <QSettings>
#include <QtTest>

#include "sample_trees.h"
#include "tree_scene.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
int node_with(const TokenTree& tree, const char* text) {
  for (int id = 0; id < tree.size(); ++id) {
    if (tree.node(id).text == text) return id;
  }
  return -1;
}

// beam_tree with one more child of the first token, so the layout moves the
// nodes below it: a parameter change's new tree of the same prompt.
TokenTree wider_tree() {
  TokenTree t = test::beam_tree();
  const int mat = node_with(t, " mat");
  for (int k = 0; k < 4; ++k) {
    const int extra = t.add_child(mat, 500 + k, " x" + std::to_string(k), std::log(0.01));
    t.node(extra).status = NodeStatus::Alternative;
  }
  return t;
}
}  // namespace

class TreeMotionTest : public QObject {
  Q_OBJECT

 private slots:
  void offUnlessAskedForEveryLayoutIsFinalAtOnce() {
    TreeScene scene;
    QVERIFY(!scene.isAnimated());
    scene.setTree(std::make_shared<const TokenTree>(test::beam_tree()), QStringLiteral("p"), 1);
    scene.setMaxStep(3);
    QVERIFY(!scene.isMoving());
    for (int id = 0; id < scene.tree()->size(); ++id) {
      QCOMPARE(scene.shownRect(id), scene.nodeRect(id));
    }
  }

  void aStepGrowsNewNodesOutOfTheirParents() {
    TreeScene scene;
    scene.setAnimated(true);
    const auto tree = std::make_shared<const TokenTree>(test::beam_tree());
    scene.setTree(tree, QStringLiteral("p"), 1);  // playback at step 1
    QVERIFY(!scene.isMoving());                   // the first layout has nowhere to come from
    const int mat = node_with(*tree, " mat");
    const QRectF mat_before = scene.shownRect(mat);
    scene.setMaxStep(2);
    QVERIFY(scene.isMoving());
    const int dot = node_with(*tree, ".");  // new at step 2, a child of " mat"
    QVERIFY(scene.isNodeVisible(dot));
    // Drawn where its parent was, heading for its own box.
    QCOMPARE(scene.shownRect(dot).topLeft(), mat_before.topLeft());
    QVERIFY(scene.nodeRect(dot) != scene.shownRect(dot));
    QTRY_VERIFY_WITH_TIMEOUT(!scene.isMoving(), 5000);
    QCOMPARE(scene.shownRect(dot), scene.nodeRect(dot));
  }

  void aParameterChangeMovesNodesFromWhereTheyWere() {
    TreeScene scene;
    scene.setAnimated(true);
    scene.setTree(std::make_shared<const TokenTree>(test::beam_tree()), QStringLiteral("p"));
    const int and_old = node_with(*scene.tree(), " and");
    const QRectF before = scene.shownRect(and_old);
    // A new tree object (a re-run): its nodes are found by their token path.
    scene.setTree(std::make_shared<const TokenTree>(wider_tree()), QStringLiteral("p"));
    const int and_new = node_with(*scene.tree(), " and");
    QVERIFY(scene.isMoving());
    QVERIFY(scene.nodeRect(and_new) != before);  // the wider tree moved it
    QCOMPARE(scene.shownRect(and_new).topLeft(), before.topLeft());
    // A click in the view skips to the end.
    TreeView view(&scene);
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(5, 5));
    QVERIFY(!scene.isMoving());
    QCOMPARE(scene.shownRect(and_new), scene.nodeRect(and_new));
    // And so does a key; turning the animation off ends a motion too.
    scene.setTree(std::make_shared<const TokenTree>(test::beam_tree()), QStringLiteral("p"));
    QVERIFY(scene.isMoving());
    QTest::keyClick(&view, Qt::Key_Escape);
    QVERIFY(!scene.isMoving());
    scene.setTree(std::make_shared<const TokenTree>(wider_tree()), QStringLiteral("p"));
    QVERIFY(scene.isMoving());
    scene.setAnimated(false);
    QVERIFY(!scene.isMoving());
  }

  void aLiveRunsSnapshotsDoNotMove() {
    TreeScene scene;
    scene.setAnimated(true);
    scene.setLive(true);
    scene.setTree(std::make_shared<const TokenTree>(test::beam_tree()), QStringLiteral("p"), 1);
    scene.setTree(std::make_shared<const TokenTree>(wider_tree()), QStringLiteral("p"));
    QVERIFY(!scene.isMoving());
  }
};

QTEST_MAIN(TreeMotionTest)
#include "tree_motion_test.moc"
