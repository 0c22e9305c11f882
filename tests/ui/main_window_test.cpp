// The main window opens, shows its placeholder and closes cleanly.
#include <QSignalSpy>
#include <QtTest>

#include "main_window.h"

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void opensAndCloses() {
    beamscope::ui::MainWindow window;
    window.showPlaceholder(QStringLiteral("No model is loaded yet."));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QStringLiteral("Beamscope"));
    QCOMPARE(window.placeholderText(), QStringLiteral("No model is loaded yet."));
    QVERIFY(window.close());
    QVERIFY(!window.isVisible());
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
