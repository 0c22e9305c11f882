// Reveal as you go: during playback the returned sequences and the
// highlighted winning path appear only once playback reaches the step that
// produces them; the camera keeps its zoom and heads for the newest step
// (the state at each step, not the timing).
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "io/session.h"
#include "main_window.h"
#include "playback_bar.h"
#include "results_panel.h"
#include "sample_trees.h"
#include "tree_scene.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

class PlaybackRevealTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("playback_reveal_test"));
    QSettings().clear();
  }

  void resultsAndWinningPathAppearAtTheirStep() {
    QTemporaryDir dir;
    Session s;
    s.model.path = "/models/x";
    s.model.architecture = "gpt2";
    s.model.vocab_size = 50257;
    s.params.strategy = StrategyKind::Beam;
    s.params.num_beams = 2;
    s.prompt_text = "The cat sat on the";
    s.prompt_ids = {464, 3797};
    s.tree = test::beam_tree();  // the one sequence ends at step 3
    const QString path = dir.filePath(QStringLiteral("s.json"));
    save_session(s, std::filesystem::path(path.toStdString()));

    MainWindow w;
    QVERIFY(w.openSessionFrom(path));
    auto* results = w.findChild<ResultsPanel*>();
    QVERIFY(results);
    const int winner = s.tree.sequences.front().node;
    QCOMPARE(w.scene()->highlightedNode(), winner);
    // The whole tree: everything shown.
    QCOMPARE(results->revealedCount(), 1);
    QVERIFY(w.scene()->isOnHighlightedPath(winner));

    w.playback()->reset();  // step 0: just the prompt
    QCOMPARE(results->revealedCount(), 0);
    QVERIFY(!w.scene()->isOnHighlightedPath(winner));
    for (int k = 1; k < 3; ++k) {
      w.playback()->stepForward();
      QCOMPARE(w.playback()->step(), k);
      QCOMPARE(results->revealedCount(), 0);
      QVERIFY(!w.scene()->isOnHighlightedPath(winner));
      QVERIFY(!w.scene()->isOnHighlightedPath(s.tree.node(winner).parent));
    }
    // The camera: one zoom through the steps, heading for the newest nodes.
    w.playback()->reset();
    w.playback()->stepForward();
    auto* view = w.findChild<TreeView*>();
    QVERIFY(view);
    const double zoom = view->zoomFactor();
    w.playback()->stepForward();
    QCOMPARE(view->zoomFactor(), zoom);
    QRectF frontier;
    for (int id = 0; id < s.tree.size(); ++id) {
      if (s.tree.node(id).step == 2 && w.scene()->isNodeVisible(id)) {
        frontier = frontier.united(w.scene()->nodeRect(id));
      }
    }
    QVERIFY(!frontier.isEmpty());
    QCOMPARE(view->cameraTarget(), frontier.center());
    w.playback()->stepForward();  // step 3 produces the answer
    QCOMPARE(results->revealedCount(), 1);
    QVERIFY(w.scene()->isOnHighlightedPath(winner));
  }
};

QTEST_MAIN(PlaybackRevealTest)
#include "playback_reveal_test.moc"
