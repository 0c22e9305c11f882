// Reveal as you go: during playback the returned sequences and the
// highlighted winning path appear only once playback reaches the step that
// produces them; the camera keeps its zoom and heads for the newest step
// (the state at each step, not the timing). Beam search chooses what it
// returns at its last step: before it, in playback and in a live run, a
// hypothesis that ended early looks finished, not returned.
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
#include "tree_style.h"
#include "tree_view.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
// test::beam_tree as beam search leaves it (beam sums recorded), one step
// longer: the " and the" beam runs on to step 4, where it finishes, so the
// answer " mat.<|endoftext|>" (step 3) is chosen only at step 4.
TokenTree beam_tree_decided_later() {
  TokenTree t = test::beam_tree();
  for (int id = 1; id < t.size(); ++id) t.node(id).beam_sum = t.node(id).cum_logprob;
  int the = -1;
  for (int id = 0; id < t.size(); ++id) {
    if (t.node(id).text == " the") the = id;
  }
  t.node(the).status = NodeStatus::Selected;
  const int rug = t.add_child(the, 7422, " rug", std::log(0.3));
  t.node(rug).status = NodeStatus::Finished;
  t.node(rug).beam_sum = t.node(rug).cum_logprob;
  return t;
}

QString save(const TokenTree& tree, const QTemporaryDir& dir) {
  Session s;
  s.model.path = "/models/x";
  s.model.architecture = "gpt2";
  s.model.vocab_size = 50257;
  s.params.strategy = StrategyKind::Beam;
  s.params.num_beams = 2;
  s.prompt_text = "The cat sat on the";
  s.prompt_ids = {464, 3797};
  s.tree = tree;
  const QString path = dir.filePath(QStringLiteral("s.json"));
  save_session(s, std::filesystem::path(path.toStdString()));
  return path;
}
}  // namespace

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

  void beamSearchDecidesAtItsLastStep() {
    QTemporaryDir dir;
    const TokenTree tree = beam_tree_decided_later();
    MainWindow w;
    QVERIFY(w.openSessionFrom(save(tree, dir)));
    auto* results = w.findChild<ResultsPanel*>();
    const int winner = tree.sequences.front().node;
    QCOMPARE(tree.node(winner).step, 3);
    QCOMPARE(w.scene()->treeDepth(), 4);
    // The finished run: decided, the answer returned and highlighted.
    QVERIFY(!w.scene()->isUndecided());
    QCOMPARE(results->revealedCount(), 1);
    QVERIFY(w.scene()->isOnHighlightedPath(winner));

    // Playback at step 3: the answer's last token is there but not chosen.
    w.playback()->reset();
    for (int k = 0; k < 3; ++k) w.playback()->stepForward();
    QVERIFY(w.scene()->isNodeVisible(winner));
    QVERIFY(w.scene()->isUndecided());
    QCOMPARE(shown_status(tree.node(winner).status, w.scene()->isUndecided()),
             NodeStatus::Finished);
    QCOMPARE(results->revealedCount(), 0);
    QVERIFY(!w.scene()->isOnHighlightedPath(winner));

    // Step 4, the last: chosen, returned, highlighted.
    w.playback()->stepForward();
    QVERIFY(!w.scene()->isUndecided());
    QCOMPARE(shown_status(tree.node(winner).status, w.scene()->isUndecided()),
             NodeStatus::Returned);
    QCOMPARE(results->revealedCount(), 1);
    QVERIFY(w.scene()->isOnHighlightedPath(winner));

    // A live snapshot of a running beam search is undecided too; a sampled
    // or greedy tree never is (its answers are chosen as they end).
    w.scene()->setLive(true);
    QVERIFY(w.scene()->isUndecided());
    w.scene()->setLive(false);
    w.scene()->setTree(std::make_shared<const TokenTree>(test::beam_tree()), QString(), 1);
    QVERIFY(!w.scene()->isUndecided());
  }
};

QTEST_MAIN(PlaybackRevealTest)
#include "playback_reveal_test.moc"
