// Issue 17, bug 8 (part): in a small window the playback speed slider
// collapsed to a knob. It and the decoding spin boxes keep their room, the
// spin boxes inside the visible part of their dock. On a laptop screen the
// controls' tab is the one in front after a run; a node the user picks
// brings the inspector's.
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTabBar>
#include <QtTest>
#include <filesystem>

#include "common/require_reference_qt.h"
#include "compact_docks.h"
#include "controls_panel.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "playback_bar.h"
#include "tree_scene.h"
#include "tree_view.h"

using namespace beamscope::ui;

namespace {
// The title of the tab in front where the decoding controls and the
// inspector share the left column; empty when they do not.
QString front_tab(const MainWindow& window) {
  for (QTabBar* bar : window.findChildren<QTabBar*>()) {
    if (bar->count() != 2 || !bar->isVisible()) continue;
    return bar->tabText(bar->currentIndex());
  }
  return {};
}
}  // namespace

class SmallScreenTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("small_screen_test"));
    QSettings().clear();
  }

  void smallWindowKeepsControlsWhole() {
    MainWindow window;
    window.resize(1100, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* speed = window.playback()->findChild<QSlider*>();
    QVERIFY(speed);
    QVERIFY2(speed->width() >= 80, qPrintable(QString::number(speed->width())));
    for (QDoubleSpinBox* spin : window.controls()->findChildren<QDoubleSpinBox*>()) {
      QVERIFY2(
          spin->width() >= spin->minimumSizeHint().width(),
          qPrintable(
              QStringLiteral("%1 < %2").arg(spin->width()).arg(spin->minimumSizeHint().width())));
    }
  }

  // At 1366×768 the controls and the inspector share the left column, so the
  // tree keeps most of the window; on a wide screen the inspector is on the
  // right again.
  void laptopScreenLeavesTheCanvasMostOfTheWindow() {
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.compactDocks()->isCompact());
    auto* view = window.findChild<TreeView*>();
    QVERIFY(view);
    QTRY_VERIFY2(view->width() >= 0.6 * window.width(), qPrintable(QString::number(view->width())));
    window.resize(1920, 1080);
    QTRY_VERIFY(!window.compactDocks()->isCompact());
  }

  // The first run on a laptop selects the prompt node for the inspector; that
  // is the window's choice, not the user's, so the controls stay in front
  // (they used to give way to the inspector when the tree had the focus).
  void controlsTabInFrontUntilTheUserPicksANode() {
    const auto model = beamscope::bundled_model_dir();
    if (!std::filesystem::exists(model / "model.safetensors"))
      BEAMSCOPE_REFERENCE_MISSING_QT("the bundled model is not built yet");
    MainWindow window;
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.compactDocks()->isCompact());
    QCOMPARE(front_tab(window), QStringLiteral("Decoding"));
    window.view()->setFocus();  // as on a first launch, when the canvas has it
    window.setRunOnFirstModel(true);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.loadModel(QString::fromStdString(model.string()));
    QVERIFY(finished.wait(60000));
    QVERIFY(window.scene()->selectedNode() >= 0);  // the inspector has a node to show
    QCOMPARE(front_tab(window), QStringLiteral("Decoding"));
    window.scene()->pickNode(1);
    QCOMPARE(front_tab(window), QStringLiteral("Inspector"));
  }
};

QTEST_MAIN(SmallScreenTest)
#include "small_screen_test.moc"
