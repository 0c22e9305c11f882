// Presentation mode on a 1920×1080 projector: a beam-5, 8-token tree (its
// kept beams, the rest folded into "+N" stubs) is wholly in view with node
// tokens of at least 24 px and probabilities of at least 18 px on screen.
// The screen is the offscreen platform's, configured to 1920×1080 below.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "common/require_reference_qt.h"
#include "controls_panel.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "slider_spin.h"
#include "tree_scene.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
constexpr int kTimeoutMs = 120000;  // a shared, busy 2-core machine
}  // namespace

class PresentationReadabilityTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("presentation_readability_test"));
    QSettings().clear();
  }

  void beamFiveIsReadableFromTheBackRow() {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(bundled_model_dir() / "model.safetensors", ec))
      BEAMSCOPE_REFERENCE_MISSING_QT("the bundled model is not found");
    MainWindow window;
    window.resize(1920, 1080);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY(ready.wait(kTimeoutMs));
    window.promptEdit()->setText(QStringLiteral("The cat sat on the"));
    window.controls()->beamWidth()->setValue(5);
    window.controls()->maxNewTokens()->setValue(8);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.run();
    QVERIFY(finished.wait(kTimeoutMs));
    while (finished.wait(1000)) {  // parameter changes may have queued runs
    }

    window.setPresentationMode(true);
    QTRY_COMPARE(window.size(), QSize(1920, 1080));
    QApplication::processEvents();
    TreeScene* scene = window.scene();
    TreeView* view = window.view();
    QCOMPARE(scene->filter(), TreeFilter::Kept);
    const double zoom = view->transform().m11();
    const double token_px = scene->treeStyle().token_font.pixelSize() * zoom;
    const double detail_px = scene->treeStyle().detail_font.pixelSize() * zoom;
    const QRect tree_on_screen = view->mapFromScene(scene->treeRect()).boundingRect();
    const QRect port = view->viewport()->rect();
    qInfo(
        "presentation 1920x1080: %d nodes + %zu stubs %s, zoom %.2f, tokens %.1f px, "
        "probabilities %.1f px, tree %d x %d px in a %d x %d viewport",
        scene->visibleNodeCount(), scene->filteredTree().stubs.size(),
        scene->orientation() == LayoutOrientation::LeftToRight ? "left to right" : "top to bottom",
        zoom, token_px, detail_px, tree_on_screen.width(), tree_on_screen.height(), port.width(),
        port.height());
    QVERIFY(port.contains(tree_on_screen));
    QVERIFY(token_px >= 24.0);
    QVERIFY(detail_px >= 18.0);

    // Leaving presentation mode brings every node back.
    window.setPresentationMode(false);
    QCOMPARE(scene->filter(), TreeFilter::Everything);
    QCOMPARE(scene->visibleNodeCount(), window.tree()->size());
  }
};

// A 1920×1080 screen for the offscreen platform (its default is 800×600).
int main(int argc, char** argv) {
  QTemporaryDir dir;
  const QString config = dir.filePath(QStringLiteral("screen.json"));
  QFile file(config);
  if (!file.open(QIODevice::WriteOnly)) return 2;
  file.write(R"({"screens": [{"name": "projector", "x": 0, "y": 0, "width": 1920,
                 "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
  file.close();
  qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toUtf8());
  QApplication app(argc, argv);
  PresentationReadabilityTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "presentation_readability_test.moc"
