// Issue 18, GUI: a run draws its tree live, step by step, and each live
// snapshot costs the GUI thread only its new nodes. On the bundled model, a
// 64-step beam-8 run (the shape of the GPT-2-small bench,
// bench/live_tree_bench.cpp, which measures the event-loop gaps): several
// snapshots reach the scene before the run ends, each deeper than the last;
// a snapshot that grew the tree words and measures only the nodes it added
// (TreeScene::labelsMeasured); a new prompt measures its whole tree; and while
// the run goes on, beam search's answers are not shown as chosen.
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QtTest>
#include <filesystem>

#include "common/require_reference_qt.h"
#include "controls_panel.h"
#include "decoding_service.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "tree_scene.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
struct Drawn {
  int nodes;
  int visible;
  int measured;
  int depth;
  bool undecided;
};
}  // namespace

class LiveTreeTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("live_tree_test"));
    QSettings().clear();
    if (!std::filesystem::exists(bundled_model_dir() / "model.safetensors"))
      BEAMSCOPE_REFERENCE_MISSING_QT("the bundled model is not built yet");
  }

  void treeGrowsLiveAndEachSnapshotMeasuresOnlyItsNewNodes() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ready(&window, &MainWindow::modelReady);
    window.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY(ready.wait(60000));

    DecodeParams params;
    params.strategy = StrategyKind::Beam;
    params.num_beams = 8;
    params.num_return_sequences = 4;
    params.max_new_tokens = 64;
    params.early_stopping = EarlyStopping::Never;
    window.controls()->setParams(params);
    window.promptEdit()->setText(QStringLiteral("Once upon a time"));
    // What the scene holds after each live snapshot (this slot runs after
    // the window's, which draws it).
    std::vector<Drawn> drawn;
    connect(window.service(), &DecodingService::treeProgress, &window,
            [&](const DecodeOutcome& partial) {
              TreeScene* s = window.scene();
              drawn.push_back(Drawn{partial.tree->size(), s->visibleNodeCount(),
                                    s->labelsMeasured(), s->treeDepth(), s->isUndecided()});
            });
    QSignalSpy finished(&window, &MainWindow::runFinished);
    window.run();
    QVERIFY(finished.wait(120000));
    const DecodeOutcome out = window.lastOutcome();
    qInfo("%d live snapshots drawn; final tree %d nodes, %d steps", int(drawn.size()),
          out.tree->size(), out.step);

    QVERIFY2(drawn.size() >= 3, qPrintable(QString::number(drawn.size())));
    QCOMPARE(drawn.front().measured, drawn.front().nodes);  // a new prompt: every node
    for (std::size_t i = 1; i < drawn.size(); ++i) {
      QVERIFY(drawn[i].depth > drawn[i - 1].depth);
      QVERIFY(drawn[i].visible > drawn[i - 1].visible);
      // Beam search counts no samples: exactly the nodes the step added.
      QCOMPARE(drawn[i].measured, drawn[i].nodes - drawn[i - 1].nodes);
    }
    for (const Drawn& d : drawn) QVERIFY(d.undecided);  // answers come at the end
    // The finished tree grew from the last snapshot too, and is decided.
    QCOMPARE(window.scene()->labelsMeasured(), out.tree->size() - drawn.back().nodes);
    QVERIFY(!window.scene()->isUndecided());
    QCOMPARE(window.scene()->visibleNodeCount(), out.tree->size());
  }
};

QTEST_MAIN(LiveTreeTest)
#include "live_tree_test.moc"
