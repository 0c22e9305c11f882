// Issue 17 (screenshots): the legend box covered a few nodes of the tree
// whenever every corner of the view held some (a wide tree on a 1366×768
// screen). It now has a strip of its own above the viewport, wrapped into as
// many rows as the width needs, so no node box is ever under it: checked on
// the window's standard scenes (the first run's beam-3 tree at the README's
// 1680×1050 and at 1366×768, then fitted) and on a 400-node tree at several
// view sizes, auto-fitted on many highlighted paths, at 100% and scrolled.
#include <QSettings>
#include <QSignalSpy>
#include <QtTest>
#include <filesystem>

#include "common/require_reference_qt.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "sample_trees.h"
#include "tree_scene.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {

constexpr int kTimeoutMs = 120000;  // a shared, busy 2-core machine

// The node boxes the view shows under its legend: each box in the view's
// own coordinates, cut to the viewport (a box scrolled out of it is not
// shown). "" when none; else their ids.
QString nodes_under_legend(const TreeView& view, const TreeScene& scene) {
  const QRect port = view.viewport()->geometry();
  const QRect legend = view.legendGeometry();
  QString under;
  for (int id = 0; scene.tree() && id < scene.tree()->size(); ++id) {
    if (!scene.isNodeVisible(id)) continue;
    const QRect box =
        view.mapFromScene(scene.nodeRect(id)).boundingRect().translated(port.topLeft()) & port;
    if (!box.isEmpty() && box.intersects(legend)) under += QStringLiteral(" %1").arg(id);
  }
  return under;
}

// The legend is shown whole, inside the view.
void expect_legend_whole(const TreeView& view) {
  QVERIFY(view.isLegendVisible());
  QVERIFY(!view.legendGeometry().isEmpty());
  QVERIFY2(view.rect().contains(view.legendGeometry()),
           qPrintable(QStringLiteral("legend %1x%2 in a view %3 wide")
                          .arg(view.legendGeometry().width())
                          .arg(view.legendGeometry().height())
                          .arg(view.width())));
}

bool bundled_model_present() {
  std::error_code ec;
  return std::filesystem::is_regular_file(bundled_model_dir() / "model.safetensors", ec);
}

}  // namespace

class LegendPlacementTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("legend_placement_test"));
    QSettings().clear();
  }

  void theWindowsScenesHaveNoNodeUnderTheLegend_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("README 1680x1050") << QSize(1680, 1050);
    QTest::newRow("laptop 1366x768") << QSize(1366, 768);
  }

  void theWindowsScenesHaveNoNodeUnderTheLegend() {
    if (!bundled_model_present())
      BEAMSCOPE_REFERENCE_MISSING_QT(
          "the bundled model is not built yet (resources/models/beamscope-mini)");
    QFETCH(QSize, size);
    MainWindow window;
    window.setRunOnFirstModel(true);  // the screenshots' first run: beam 3, "The cat sat on the"
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY2(finished.wait(kTimeoutMs), "no tree after the model was loaded");
    TreeView& view = *window.view();
    TreeScene& scene = *window.scene();
    QVERIFY(scene.tree() && scene.tree()->size() > 20);
    expect_legend_whole(view);
    QVERIFY2(nodes_under_legend(view, scene).isEmpty(),
             qPrintable(QStringLiteral("after the run:") + nodes_under_legend(view, scene)));
    view.fitTree();
    QVERIFY2(nodes_under_legend(view, scene).isEmpty(),
             qPrintable(QStringLiteral("fitted:") + nodes_under_legend(view, scene)));
    // Hidden (Ctrl+G) it gives its strip back to the tree.
    const int port_top = view.viewport()->geometry().top();
    QVERIFY(port_top >= view.legendGeometry().bottom());
    view.setLegendVisible(false);
    QVERIFY(!view.legendGeometry().isEmpty() && view.viewport()->geometry().top() == 0);
    view.setLegendVisible(true);
    QCOMPARE(view.viewport()->geometry().top(), port_top);
    // Presentation mode gives the strip to the tree and puts it back after.
    window.setPresentationMode(true);
    QVERIFY(!view.isLegendVisible());
    window.setPresentationMode(false);
    QVERIFY(view.isLegendVisible());
  }

  void aBigTreeAtAnySizeHasNoNodeUnderTheLegend_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("900x600") << QSize(900, 600);
    QTest::newRow("narrow 480x360") << QSize(480, 360);
    QTest::newRow("wide 1366x500") << QSize(1366, 500);
  }

  void aBigTreeAtAnySizeHasNoNodeUnderTheLegend() {
    QFETCH(QSize, size);
    TreeScene scene;
    TreeView view(&scene);
    view.resize(size);
    auto tree = std::make_shared<const TokenTree>(test::big_tree(400, 3));
    scene.setTree(tree, QStringLiteral("x"));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    expect_legend_whole(view);
    QVERIFY(view.viewport()->geometry().top() >= view.legendGeometry().bottom());
    for (int id = tree->size() - 1; id > 0; id -= 7) {
      scene.setHighlightedNode(id);
      view.autoFit();
      QVERIFY2(nodes_under_legend(view, scene).isEmpty(),
               qPrintable(QStringLiteral("path %1:").arg(id) + nodes_under_legend(view, scene)));
    }
    // At 100%, scrolled over the whole tree, and with a node selected.
    view.resetZoom();
    const QRectF all = scene.sceneRect();
    for (double fx : {0.1, 0.5, 0.9}) {
      for (double fy : {0.1, 0.5, 0.9}) {
        view.centerOn(all.left() + fx * all.width(), all.top() + fy * all.height());
        QVERIFY2(nodes_under_legend(view, scene).isEmpty(),
                 qPrintable(nodes_under_legend(view, scene)));
      }
    }
    scene.selectNode(200);
    QVERIFY(nodes_under_legend(view, scene).isEmpty());
    QVERIFY(
        view.viewport()->rect().contains(view.mapFromScene(scene.nodeRect(200)).boundingRect()));
  }
};

QTEST_MAIN(LegendPlacementTest)
#include "legend_placement_test.moc"
