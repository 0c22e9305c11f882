// The pieces the main window is composed of, through the window as a user
// drives it: the session document (save, open, refuse), export, presentation
// mode and the model picker. No model is needed: trees are hand-built.
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "controls_panel.h"
#include "export_controller.h"
#include "io/session.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "model_picker.h"
#include "presentation_mode.h"
#include "sample_trees.h"
#include "session_controller.h"
#include "tree_scene.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {

const QString kPrompt = QStringLiteral("The cat sat on the");

DecodeOutcome beam_outcome() {
  DecodeOutcome o;
  o.tree = std::make_shared<const TokenTree>(test::beam_tree());
  o.prompt_text = kPrompt;
  o.prompt_ids = {464, 3797, 3332, 319, 262};
  o.params.strategy = StrategyKind::Beam;
  o.params.num_beams = 2;
  o.params.max_new_tokens = 3;
  o.finished = true;
  return o;
}

// A session file on disk, written by the core (as the CLI would).
QString write_session(const QTemporaryDir& dir, const QString& name, const DecodeParams& params) {
  Session s;
  s.model.path = "/models/x";
  s.model.architecture = "gpt2";
  s.model.vocab_size = 50257;
  s.params = params;
  s.prompt_text = kPrompt.toStdString();
  s.prompt_ids = {464, 3797};
  s.tree = test::beam_tree();
  const QString path = dir.filePath(name);
  save_session(s, std::filesystem::path(path.toStdString()));
  return path;
}

QDockWidget* dock(MainWindow& w, const char* name) {
  return w.findChild<QDockWidget*>(QString::fromLatin1(name));
}

}  // namespace

class WindowControllersTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("window_controllers_test"));
    QSettings().clear();
  }

  void savedSessionOpensAsTheSameRun() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.json"));
    MainWindow first;
    first.session()->setCurrent(beam_outcome());
    QSignalSpy saved(first.session(), &SessionController::status);
    QVERIFY(first.saveSessionTo(path));
    QCOMPARE(saved.count(), 1);
    QVERIFY(saved.front().front().toString().contains(QStringLiteral("Saved")));

    MainWindow second;
    QSignalSpy opened(second.session(), &SessionController::opened);
    QVERIFY(second.openSessionFrom(path));
    QCOMPARE(opened.count(), 1);
    QVERIFY(second.tree());
    QVERIFY(*second.tree() == test::beam_tree());
    QCOMPARE(second.promptEdit()->text(), kPrompt);
    QCOMPARE(second.controls()->params().num_beams, 2);
    QCOMPARE(second.lastOutcome().prompt_ids, beam_outcome().prompt_ids);
    QCOMPARE(second.lastOutcome().step, test::beam_tree().depth());
    QCOMPARE(second.scene()->highlightedNode(), test::beam_tree().sequences.front().node);
    QVERIFY(second.lastError().isEmpty());
  }

  void impossibleParametersAreRefusedAndTheShownRunStays() {
    QTemporaryDir dir;
    DecodeParams wild;
    wild.strategy = StrategyKind::Beam;
    wild.num_beams = 300;
    const QString path = write_session(dir, QStringLiteral("wild.json"), wild);
    MainWindow w;
    w.session()->setCurrent(beam_outcome());
    QSignalSpy opened(w.session(), &SessionController::opened);
    QVERIFY(!w.openSessionFrom(path));
    QCOMPARE(opened.count(), 0);
    QVERIFY(!w.lastError().isEmpty());
    QCOMPARE(w.lastOutcome().params.num_beams, 2);  // the run on screen is unchanged
  }

  void nothingToSaveOrExportSaysSo() {
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(!w.saveSessionTo(dir.filePath(QStringLiteral("a.json"))));
    QVERIFY(w.lastError().contains(QStringLiteral("no tree")));
    QVERIFY(!w.exportTo(dir.filePath(QStringLiteral("a.png"))));
    QVERIFY(w.lastError().contains(QStringLiteral("no tree")));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("a.png"))));
  }

  void exportWritesWhatTheExtensionSays() {
    QTemporaryDir dir;
    MainWindow w;
    QVERIFY(w.openSessionFrom(write_session(dir, QStringLiteral("s.json"), beam_outcome().params)));
    const QString svg = dir.filePath(QStringLiteral("tree.svg"));
    QVERIFY(w.exportTo(svg));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("<svg"));

    // .json is the session itself.
    const QString json = dir.filePath(QStringLiteral("again.json"));
    QVERIFY(w.exportTo(json));
    QVERIFY(load_session(std::filesystem::path(json.toStdString())).tree == test::beam_tree());

    QVERIFY(!w.exportTo(dir.filePath(QStringLiteral("tree.gif"))));
    QVERIFY(w.lastError().contains(QStringLiteral(".png, .svg, .pdf and .json")));
  }

  void presentationModeClearsTheStageAndPutsItBack() {
    MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const qreal normal_font = w.font().pointSizeF();
    QSignalSpy toggled(w.presentation(), &PresentationMode::toggled);
    w.setPresentationMode(true);
    QVERIFY(w.isPresentationMode());
    QCOMPARE(toggled.count(), 1);
    for (const char* name : {"controls-dock", "inspector-dock", "results-dock"}) {
      QVERIFY2(!dock(w, name)->isVisible(), name);
    }
    QCOMPARE(w.font().pointSizeF(), QApplication::font().pointSizeF() * PresentationMode::kScale);
    QCOMPARE(w.presentation()->scale(), PresentationMode::kScale);
    w.setPresentationMode(true);  // already on: nothing happens
    QCOMPARE(toggled.count(), 1);

    w.setPresentationMode(false);
    QVERIFY(!w.isPresentationMode());
    QCOMPARE(toggled.count(), 2);
    for (const char* name : {"controls-dock", "inspector-dock", "results-dock"}) {
      QVERIFY2(dock(w, name)->isVisible(), name);
    }
    QCOMPARE(w.font().pointSizeF(), normal_font);
    QCOMPARE(w.presentation()->scale(), 1.0);
  }

  void modelPickerListsRecentFoldersNewestFirst() {
    QTemporaryDir a, b;
    MainWindow w;
    ModelPicker* picker = w.modelPicker();
    picker->rememberLoaded(a.path());
    picker->rememberLoaded(b.path());
    picker->rememberLoaded(QStringLiteral("/no/such/model/folder"));  // gone: not listed
    const QList<QAction*> recent = picker->recentMenu()->actions();
    QCOMPARE(recent.size(), 2);
    QCOMPARE(recent[0]->text(), b.path());
    QCOMPARE(recent[1]->text(), a.path());

    QComboBox* chooser = picker->chooser();
    QCOMPARE(chooser->itemData(0).toString(), b.path());
    QCOMPARE(chooser->itemData(1).toString(), a.path());
    QVERIFY(chooser->findData(QString::fromStdString(bundled_model_dir().string())) >= 0);
    QCOMPARE(chooser->itemData(chooser->count() - 1).toString(), QString());  // "Open…"

    QSignalSpy requested(picker, &ModelPicker::modelRequested);
    recent[1]->trigger();
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.front().front().toString(), a.path());
    emit chooser->activated(0);
    QCOMPARE(requested.count(), 2);
    QCOMPARE(requested.back().front().toString(), b.path());
  }
};

QTEST_MAIN(WindowControllersTest)
#include "window_controllers_test.moc"
