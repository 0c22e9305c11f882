// The run on screen as the user edits it: "what if" branches, their removal,
// undo and redo, and how the selection and the highlighted path carry over
// from one tree to the next (the window's wiring is in main_window.cpp).
#include <QMenu>
#include <QStatusBar>

#include "decoding_service.h"
#include "edit_history.h"
#include "inspector_widget.h"
#include "main_window.h"
#include "playback_bar.h"
#include "results_panel.h"
#include "session_controller.h"
#include "token_display.h"
#include "tree_paths.h"
#include "tree_scene.h"

namespace beamscope::ui {

namespace {
constexpr int kStatusMs = 5000;
}  // namespace

void MainWindow::showTree(const TreeSnapshot& tree, const QString& prompt) {
  // Selection and highlight name nodes of the tree on screen. A new tree
  // numbers its nodes afresh, so an equal id there is an unrelated node: they
  // are found again by their token path instead.
  const TreeSnapshot old = scene_->tree();
  std::vector<std::int32_t> selected_path, highlighted_path;
  if (old) {
    selected_path = token_path(*old, scene_->selectedNode());
    highlighted_path = token_path(*old, scene_->highlightedNode());
  }
  // A new tree shows all its steps; one layout pass, not one per change.
  const int depth = tree ? tree->depth() : 0;
  scene_->setTree(tree, prompt, depth);
  playback_->setDepth(depth);
  results_->setTree(tree);
  if (!tree) {
    scene_->setHighlightedNode(-1);
    scene_->selectNode(-1);
    return;
  }
  // The path the user picked while it still exists, else this tree's winner.
  int highlight = -1;
  if (user_highlight_ && !highlighted_path.empty()) {
    highlight = find_token_path(*tree, highlighted_path);
  }
  if (highlight < 0 && !tree->sequences.empty()) highlight = tree->sequences.front().node;
  scene_->setHighlightedNode(highlight);
  // The inspected node, else the deepest of its ancestors still there.
  const int node = deepest_on_token_path(*tree, selected_path);
  if (scene_->selectedNode() == node) {
    onNodeSelected(node);  // same id, new data: refresh the inspector
  } else {
    scene_->selectNode(node);
  }
}

void MainWindow::showEdited(const DecodeOutcome& outcome) {
  scene_->setLive(false);
  session_->setCurrent(outcome);
  showTree(outcome.tree, outcome.prompt_text);
  updateRunLabel(outcome);
}

void MainWindow::recordWhatIf(const DecodeOutcome& outcome) {
  if (!what_if_before_) return;
  history_->record(what_if_text_, *what_if_before_, outcome);
  what_if_before_.reset();
}

void MainWindow::forceAlternative(int node) {
  const DecodeOutcome& shown = session_->current();
  if (!shown.tree || node <= 0 || node >= shown.tree->size()) return;
  const TreeNode& n = shown.tree->node(node);
  if (is_taken(n.status)) {
    statusBar()->showMessage(tr("That token was taken already; double-click a grey alternative "
                                "or a pruned candidate to ask “what if”."),
                             kStatusMs);
    return;
  }
  // The finished branch becomes one undoable step (recordWhatIf); its
  // answers are the new winner, whatever was highlighted before.
  what_if_before_ = shown;
  what_if_text_ = tr("What If “%1”").arg(visible_token_text(n.text));
  user_highlight_ = false;
  // The tree's own prompt ids: re-tokenizing the text could give other ids.
  service_->force(shown.tree, shown.prompt_ids, shown.prompt_text, n.parent, n.token_id,
                  shown.params);
}

void MainWindow::removeBranch(int node) {
  const DecodeOutcome before = session_->current();
  const TreeSnapshot& tree = before.tree;
  if (!tree || node <= 0 || node >= tree->size()) return;
  const std::vector<std::int32_t> path = token_path(*tree, node);
  auto copy = std::make_shared<TokenTree>(*tree);
  copy->remove_subtree(node);
  // A "what if" replaced the answers with its branch's; removing the branch
  // brings back the answers it replaced (their paths are still returned).
  if (copy->sequences.empty()) {
    if (const DecodeOutcome* earlier = history_->beforeBranch(path); earlier && earlier->tree) {
      copy->sequences = sequences_found_in(*earlier->tree, *copy);
    }
  }
  DecodeOutcome after = before;
  after.tree = copy;
  after.step = copy->depth();
  showEdited(after);
  history_->record(tr("Remove Branch “%1”").arg(visible_token_text(tree->node(node).text)), before,
                   after);
}

void MainWindow::onNodeContextMenu(int node, const QPoint& screen_pos) {
  const TreeSnapshot& tree = session_->tree();
  if (!tree || node < 0 || node >= tree->size()) return;
  const TreeNode& n = tree->node(node);
  QMenu menu(this);
  QAction* what_if =
      menu.addAction(tr("What if: take “%1” and decode on").arg(visible_token_text(n.text)));
  what_if->setEnabled(n.parent >= 0 && !is_taken(n.status) && service_->hasModel());
  QAction* remove = menu.addAction(tr("Remove this branch"));
  remove->setEnabled(n.parent >= 0 && n.forced);
  QAction* highlight = menu.addAction(tr("Highlight the path to here"));
  QAction* chosen = menu.exec(screen_pos);
  if (chosen == what_if) forceAlternative(node);
  if (chosen == remove) removeBranch(node);
  if (chosen == highlight) {
    user_highlight_ = true;
    scene_->setHighlightedNode(node);
  }
}

}  // namespace beamscope::ui
