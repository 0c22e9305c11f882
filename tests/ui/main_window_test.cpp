// Drives the real main window end to end on the bundled model: type a prompt,
// press Enter, wait for the tree and compare it with the engine run directly;
// move a slider and see the tree change with no new model calls; force an
// alternative ("what if") and remove the branch again; export and save from
// the window. Skips visibly when the bundled model is not there.
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QSvgRenderer>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include <QMenuBar>
#include "common/require_reference_qt.h"
#include "controls_panel.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "decoding_service.h"
#include "inspector_widget.h"
#include "io/session.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "node_item.h"
#include "playback_bar.h"
#include "results_panel.h"
#include "slider_spin.h"
#include "tree_scene.h"

#include "shortcuts_dialog.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
constexpr int kTimeoutMs = 120000;  // a shared, busy 2-core machine

bool bundled_model_present() {
  std::error_code ec;
  return std::filesystem::is_regular_file(bundled_model_dir() / "model.safetensors", ec);
}

// The engine on its own, as the reference for what the window shows.
struct Engine {
  LoadedModel loaded = load_model(bundled_model_dir());
  LogitsCache cache;
  Decoder decoder{*loaded.model, *loaded.tokenizer, loaded.info.eos_ids, cache};
  std::vector<std::int32_t> encode(const QString& text) {
    return loaded.tokenizer->encode(text.toStdString());
  }
};

int count_status(const TokenTree& tree, NodeStatus status) {
  int n = 0;
  for (const TreeNode& node : tree.nodes()) n += node.status == status;
  return n;
}
}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    // Tests must not see (or change) a user's saved settings.
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("main_window_test"));
    QSettings().clear();
  }

  void opensAndCloses() {
    MainWindow window;
    window.showPlaceholder(QStringLiteral("No model is loaded yet."));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QStringLiteral("Beamscope"));
    QCOMPARE(window.placeholderText(), QStringLiteral("No model is loaded yet."));
    // Lecture defaults on first start.
    QCOMPARE(window.promptEdit()->text(), QStringLiteral("The cat sat on the"));
    QCOMPARE(window.controls()->preset(), StrategyPreset::Beam);
    QCOMPARE(window.controls()->params().num_beams, 4);
    QCOMPARE(window.controls()->params().max_new_tokens, 8);
    // The shortcuts list is read from the menus: it has the menus' keys.
    const QList<ShortcutRow> shortcuts = collect_shortcuts(*window.menuBar());
    auto keys_of = [&](const QString& command) {
      for (const ShortcutRow& r : shortcuts) {
        if (r.command == command) return r.keys;
      }
      return QString();
    };
    QCOMPARE(keys_of(QStringLiteral("Show Legend")),
             QKeySequence(Qt::CTRL | Qt::Key_G).toString(QKeySequence::NativeText));
    QVERIFY(keys_of(QStringLiteral("Run")).contains(QStringLiteral("F5")));
    QVERIFY(keys_of(QStringLiteral("Keyboard Shortcuts")).contains(QStringLiteral("F1")));
    // Ctrl+G hides and shows the legend.
    QVERIFY(window.view()->isLegendVisible());
    QTest::keyClick(&window, Qt::Key_G, Qt::ControlModifier);
    QVERIFY(!window.view()->isLegendVisible());
    QTest::keyClick(&window, Qt::Key_G, Qt::ControlModifier);
    QVERIFY(window.view()->isLegendVisible());
    QVERIFY(window.close());
    QVERIFY(!window.isVisible());
  }

  void badModelFolderIsReported() {
    MainWindow window;
    QSignalSpy failed(window.service(), &DecodingService::modelFailed);
    window.loadModel(QStringLiteral("/nonexistent/model"));
    QVERIFY(failed.wait(kTimeoutMs));
    QVERIFY(window.lastError().contains(QStringLiteral("/nonexistent/model")));
    QVERIFY(!window.service()->hasModel());
  }

  void runMatchesEngineThenSliderReusesCache() {
    if (!bundled_model_present())
      BEAMSCOPE_REFERENCE_MISSING_QT(
          "the bundled model is not built yet (resources/models/beamscope-mini)");
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY(ready.wait(kTimeoutMs));

    // Type a prompt and press Enter, like a user.
    window.promptEdit()->clear();
    QTest::keyClicks(window.promptEdit(), QStringLiteral("Once upon a time"));
    window.controls()->beamWidth()->setValue(3);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    QTest::keyClick(window.promptEdit(), Qt::Key_Return);
    QVERIFY(finished.wait(kTimeoutMs));
    const TreeSnapshot shown = window.tree();
    QVERIFY(shown);
    const DecodeParams params = window.lastOutcome().params;
    QCOMPARE(params.num_beams, 3);
    QCOMPARE(params.strategy, StrategyKind::Beam);
    QVERIFY(window.lastOutcome().model_calls > 0);

    // The same run straight on the engine gives the same tree, node for node.
    Engine engine;
    const DecodeResult direct =
        engine.decoder.run(engine.encode(QStringLiteral("Once upon a time")), params);
    QCOMPARE(shown->size(), direct.tree.size());
    QVERIFY(*shown == direct.tree);
    QCOMPARE(window.scene()->visibleNodeCount(), shown->size());
    QCOMPARE(count_status(*shown, NodeStatus::Returned), int(shown->sequences.size()));
    QCOMPARE(window.results()->sequenceCount(), int(shown->sequences.size()));
    for (int id = 0; id < shown->size(); ++id) {
      QVERIFY(window.scene()->itemForNode(id)->isVisible());
    }
    // The inspector follows the selection.
    window.scene()->selectNode(1);
    QCOMPARE(window.inspector()->node(), 1);
    QVERIFY(window.inspector()->pathText().startsWith(QStringLiteral("Once upon a time")));

    // Length penalty only rescales finished hypotheses: the beams walk the
    // same prefixes, so the re-run is served entirely by the logits cache —
    // and the sequence scores change.
    const double score_before = shown->sequences.front().score;
    finished.clear();
    const int calls_before = window.service()->totalModelCalls();
    SliderSpin* lp = nullptr;
    for (SliderSpin* s : window.controls()->findChildren<SliderSpin*>()) {
      if (s->label()->text() == QStringLiteral("Length penalty")) lp = s;
    }
    QVERIFY(lp);
    lp->slider()->setValue(lp->slider()->value() - 25);  // 1.0 -> -1.5
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(window.lastOutcome().params.length_penalty, -1.5);
    QCOMPARE(window.lastOutcome().model_calls, 0);
    QCOMPARE(window.service()->totalModelCalls(), calls_before);
    QVERIFY(window.tree() != shown);
    QVERIFY(window.tree()->sequences.front().score != score_before);
  }

  void latestRequestWins() {
    if (!bundled_model_present())
      BEAMSCOPE_REFERENCE_MISSING_QT(
          "the bundled model is not built yet (resources/models/beamscope-mini)");
    MainWindow window;
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY(ready.wait(kTimeoutMs));
    window.controls()->setPreset(StrategyPreset::MinP);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    for (int seed = 1; seed <= 4; ++seed) {
      for (SliderSpin* s : window.controls()->findChildren<SliderSpin*>()) {
        if (s->label()->text() == QStringLiteral("Seed")) s->setValue(seed);
      }
      window.run();
    }
    QVERIFY(finished.wait(kTimeoutMs));
    // Only the last request's result is ever shown.
    QCOMPARE(window.lastOutcome().params.seed, std::uint64_t{4});
    QCOMPARE(finished.count(), 1);
    QTest::qWait(200);
    QCOMPARE(finished.count(), 1);
  }

  void whatIfAddsAndRemovesBranch() {
    if (!bundled_model_present())
      BEAMSCOPE_REFERENCE_MISSING_QT(
          "the bundled model is not built yet (resources/models/beamscope-mini)");
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY(ready.wait(kTimeoutMs));
    window.controls()->setPreset(StrategyPreset::Greedy);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.run();
    QVERIFY(finished.wait(kTimeoutMs));
    const TreeSnapshot before = window.tree();
    // An alternative at step 1.
    int alt = -1;
    for (int c : before->node(0).children) {
      if (before->node(c).status == NodeStatus::Alternative) alt = c;
    }
    QVERIFY2(alt > 0, "greedy run should list alternatives under the prompt");

    // Double-click it in the view, as a user would.
    window.view()->fitTree();
    QTest::qWait(50);
    const QPoint at = window.view()->mapFromScene(window.scene()->nodeRect(alt).center());
    finished.clear();
    QTest::mouseDClick(window.view()->viewport(), Qt::LeftButton, {}, at);
    QVERIFY(finished.wait(kTimeoutMs));
    const TreeSnapshot after = window.tree();
    QVERIFY(after->size() > before->size());
    int forced = -1;
    for (const TreeNode& n : after->nodes()) {
      if (n.forced) forced = n.id;
    }
    QVERIFY(forced > 0);
    QCOMPARE(after->node(forced).parent, 0);
    QCOMPARE(after->node(forced).token_id, before->node(alt).token_id);
    // The engine, forced the same way, agrees.
    Engine engine;
    const DecodeResult direct =
        engine.decoder.force(*before, window.lastOutcome().prompt_ids, 0,
                             before->node(alt).token_id, window.lastOutcome().params);
    QVERIFY(*after == direct.tree);

    // Remove the branch again.
    window.removeBranch(forced);
    QVERIFY(window.tree()->size() < after->size());
    for (const TreeNode& n : window.tree()->nodes()) QVERIFY(!n.forced);
    QCOMPARE(window.scene()->visibleNodeCount(), window.tree()->size());
  }

  void playbackAndExports() {
    if (!bundled_model_present())
      BEAMSCOPE_REFERENCE_MISSING_QT(
          "the bundled model is not built yet (resources/models/beamscope-mini)");
    MainWindow window;
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY(ready.wait(kTimeoutMs));
    window.controls()->setPreset(StrategyPreset::MinP);
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.run();
    QVERIFY(finished.wait(kTimeoutMs));
    const TreeSnapshot tree = window.tree();

    // Clicking a returned sequence highlights its path in the tree.
    QVERIFY(window.results()->sequenceCount() >= 1);
    QTableWidget* results = window.results()->table();
    const int last_row = results->rowCount() - 1;
    QTest::mouseClick(results->viewport(), Qt::LeftButton, {},
                      results->visualRect(results->model()->index(last_row, 1)).center());
    const int end = tree->sequences[std::size_t(last_row)].node;
    QCOMPARE(window.scene()->highlightedNode(), end);
    for (int id : tree->path_nodes(end)) QVERIFY(window.scene()->itemForNode(id)->isHighlighted());

    // Playback: step k shows exactly the nodes with step <= k.
    PlaybackBar* playback = window.playback();
    QCOMPARE(playback->step(), playback->depth());
    playback->reset();
    QCOMPARE(window.scene()->visibleNodeCount(), 1);
    playback->stepForward();
    playback->stepForward();
    int expected = 0;
    for (const TreeNode& n : tree->nodes()) expected += n.step <= 2;
    QCOMPARE(window.scene()->visibleNodeCount(), expected);
    playback->stepBack();
    QCOMPARE(window.scene()->maxStep(), 1);

    QTemporaryDir dir;
    QVERIFY(window.exportTo(dir.filePath(QStringLiteral("t.png")), 1.5));
    QVERIFY(!QImage(dir.filePath(QStringLiteral("t.png"))).isNull());
    QVERIFY(window.exportTo(dir.filePath(QStringLiteral("t.svg"))));
    QVERIFY(QSvgRenderer(dir.filePath(QStringLiteral("t.svg"))).isValid());
    QVERIFY(window.exportTo(dir.filePath(QStringLiteral("t.pdf"))));
    QFile pdf(dir.filePath(QStringLiteral("t.pdf")));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(!window.exportTo(dir.filePath(QStringLiteral("t.bmp"))));
    QVERIFY(window.lastError().contains(QStringLiteral(".png")));

    // Save Session writes the tree JSON; Open Session brings it back whole.
    const QString json = dir.filePath(QStringLiteral("s.json"));
    QVERIFY(window.saveSessionTo(json));
    const Session saved = load_session(json.toStdString());
    QVERIFY(saved.tree == *tree);
    QCOMPARE(saved.params.strategy, StrategyKind::Sample);
    MainWindow other;
    QVERIFY(other.openSessionFrom(json));
    QVERIFY(*other.tree() == *tree);
    QCOMPARE(other.controls()->preset(), StrategyPreset::MinP);
    QVERIFY(!other.openSessionFrom(dir.filePath(QStringLiteral("t.svg"))));
    QVERIFY(other.lastError().contains(QStringLiteral("t.svg")));
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
