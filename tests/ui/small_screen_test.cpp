// Issue 17, bug 8 (part): in a small window the playback speed slider
// collapsed to a knob. It and the decoding spin boxes keep their room, the
// spin boxes inside the visible part of their dock.
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSlider>
#include <QtTest>

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
};

QTEST_MAIN(SmallScreenTest)
#include "small_screen_test.moc"
