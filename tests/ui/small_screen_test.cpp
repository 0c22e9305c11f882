// Issue 17, bug 8 (part): in a small window the playback speed slider
// collapsed to a knob. It and the decoding spin boxes keep their room, the
// spin boxes inside the visible part of their dock.
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSlider>
#include <QtTest>

#include "compact_docks.h"
#include "controls_panel.h"
#include "main_window.h"
#include "playback_bar.h"
#include "tree_view.h"

using namespace beamscope::ui;

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
};

QTEST_MAIN(SmallScreenTest)
#include "small_screen_test.moc"
