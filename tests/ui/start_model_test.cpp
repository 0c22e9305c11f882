// Issue 15: the last model used opens at start, also when it is a GGUF file
// or a Hugging Face cache snapshot; when it is gone, or no longer loads, the
// bundled model opens and the message bar says why.
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "common/require_reference_qt.h"
#include "common/tiny_model_folder.h"
#include "decoding_service.h"
#include "main_window.h"
#include "message_bar.h"
#include "model/model_folder.h"
#include "settings_store.h"
#include "start_model.h"

using namespace beamscope;
using namespace beamscope::ui;
namespace fs = std::filesystem;

namespace {
constexpr int kTimeoutMs = 120000;  // a shared, busy 2-core machine

QString bundled() { return QString::fromStdString(bundled_model_dir().string()); }
bool bundled_present() {
  std::error_code ec;
  return fs::is_regular_file(bundled_model_dir() / "model.safetensors", ec);
}
}  // namespace

class StartModelTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // never the user's own settings
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("start_model_test"));
    QVERIFY(dir_.isValid());
    // A Hub cache snapshot: files linked into blobs/, as downloads leave them.
    const fs::path repo = fs::path(dir_.path().toStdString()) / "hub/models--test-org--tiny";
    beamscope::test::write_model_folder(
        repo / "blobs-src", beamscope::test::tiny_config(),
        beamscope::test::tiny_tensors(beamscope::test::tiny_config()));
    snapshot_ = repo / "snapshots/0123456789abcdef0123456789abcdef01234567";
    fs::create_directories(snapshot_);
    fs::create_directories(repo / "blobs");
    for (const auto& entry : fs::directory_iterator(repo / "blobs-src")) {
      const std::string name = entry.path().filename().string();
      fs::rename(entry.path(), repo / "blobs" / name);
      fs::create_symlink("../../blobs/" + name, snapshot_ / name);
    }
  }
  void init() { QSettings().clear(); }
  void cleanupTestCase() { QSettings().clear(); }

  void firstStartOpensTheBundledModelSilently() {
    const StartModel start = choose_start_model({});
    QCOMPARE(start.path, bundled());
    QVERIFY(start.notice.isEmpty());
    QCOMPARE(choose_start_model(QStringLiteral("/given")).path, QStringLiteral("/given"));
  }

  // Recent models keep GGUF files, not only folders, and the chooser names a
  // snapshot by its repository.
  void recentModelsKeepFilesAndSnapshots() {
    const QString gguf = dir_.filePath(QStringLiteral("llama-3.2-1b-Q4_K_M.gguf"));
    std::ofstream(gguf.toStdString()) << "GGUF";
    settings::addRecentModel(QString::fromStdString(snapshot_.string()));
    settings::addRecentModel(gguf);
    QCOMPARE(settings::recentModels(),
             QStringList({gguf, QString::fromStdString(snapshot_.string())}));
    QCOMPARE(choose_start_model({}).path, gguf);
    QVERIFY(choose_start_model({}).from_settings);
    QCOMPARE(model_display_name(QString::fromStdString(snapshot_.string())),
             QStringLiteral("test-org/tiny"));
    QCOMPARE(model_display_name(gguf), QStringLiteral("llama-3.2-1b-Q4_K_M.gguf"));
    QFile::remove(gguf);
    QCOMPARE(settings::recentModels(), QStringList({QString::fromStdString(snapshot_.string())}));
  }

  void theLastSnapshotOpensAtStart() {
    settings::addRecentModel(QString::fromStdString(snapshot_.string()));
    MainWindow window;
    QSignalSpy ready(&window, &MainWindow::modelReady);
    open_start_model(window, {});
    QVERIFY2(ready.wait(kTimeoutMs), "the snapshot did not load");
    QCOMPARE(QString::fromStdString(window.service()->model().path),
             QString::fromStdString(snapshot_.string()));
    QVERIFY(!window.messageBar()->hasMessage());
  }

  void aMissingLastModelFallsBackToTheBundledOneAndSaysWhy() {
    if (!bundled_present()) BEAMSCOPE_REFERENCE_MISSING_QT("the bundled model is not built yet");
    const QString gone = dir_.filePath(QStringLiteral("deleted-model"));
    // Gone since: still first in the stored list.
    QSettings().setValue(QStringLiteral("models/recent"), QStringList({gone}));
    MainWindow window;
    QSignalSpy ready(&window, &MainWindow::modelReady);
    open_start_model(window, {});
    QVERIFY2(ready.wait(kTimeoutMs), "the bundled model did not load");
    QCOMPARE(QString::fromStdString(window.service()->model().path), bundled());
    QVERIFY(window.messageBar()->hasMessage());
    QVERIFY2(window.messageBar()->text().contains(gone), qPrintable(window.messageBar()->text()));
    QVERIFY(window.messageBar()->text().contains(QStringLiteral("no longer there")));
  }

  void aLastModelThatNoLongerLoadsFallsBackToo() {
    if (!bundled_present()) BEAMSCOPE_REFERENCE_MISSING_QT("the bundled model is not built yet");
    const QString broken = dir_.filePath(QStringLiteral("broken.gguf"));
    std::ofstream(broken.toStdString()) << "not a gguf file at all";
    QSettings().setValue(QStringLiteral("models/recent"), QStringList({broken}));
    MainWindow window;
    QSignalSpy ready(&window, &MainWindow::modelReady);
    open_start_model(window, {});
    QVERIFY2(ready.wait(kTimeoutMs), "the bundled model did not load");
    QCOMPARE(QString::fromStdString(window.service()->model().path), bundled());
    const QString text = window.messageBar()->text();
    QVERIFY2(text.contains(broken) && text.contains(QStringLiteral("could not be opened")),
             qPrintable(text));
  }

 private:
  QTemporaryDir dir_;
  fs::path snapshot_;
};

QTEST_MAIN(StartModelTest)
#include "start_model_test.moc"
