// Issue 17: hovering a node shows its token, step, status, probability and
// rank in a tooltip (the box itself has room for little more than the token).
#include <QHelpEvent>
#include <QToolTip>
#include <QtTest>

#include "sample_trees.h"
#include "tree_scene.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

class NodeTooltipTest : public QObject {
  Q_OBJECT

 private slots:
  void hoveringANodeShowsItsNumbers() {
    TreeScene scene;
    TreeView view(&scene);
    view.resize(900, 600);
    scene.setTree(std::make_shared<const TokenTree>(test::beam_tree()), QStringLiteral("x"));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fitTree();
    const QPoint at = view.mapFromScene(scene.nodeRect(3).center());  // " bed", pruned
    QHelpEvent help(QEvent::ToolTip, at, view.viewport()->mapToGlobal(at));
    QApplication::sendEvent(view.viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    const QString text = QToolTip::text();
    QVERIFY2(text.contains(QStringLiteral("bed")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("step 1")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("0.08")), qPrintable(text));  // p of " bed"
    QVERIFY2(text.contains(QStringLiteral("pruned")), qPrintable(text));  // its status
  }
};

QTEST_MAIN(NodeTooltipTest)
#include "node_tooltip_test.moc"
