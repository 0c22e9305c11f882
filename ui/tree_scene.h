#pragma once

#include <QGraphicsScene>
#include <limits>
#include <memory>
#include <vector>

#include "decoding/token_tree.h"
#include "layout/tree_filter.h"
#include "layout/tree_layout.h"
#include "tree_style.h"

namespace beamscope::ui {

class NodeItem;
class NodeLabeler;
class NodesItem;
class EdgesItem;

// Arrow-key moves through the tree (left = parent, right = first child,
// up/down = previous/next sibling).
enum class TreeDirection { Parent, FirstChild, PreviousSibling, NextSibling };

// The drawing of one immutable TokenTree snapshot. Owns no domain data: it
// holds the shared snapshot, one NodesItem that draws every node box and one
// EdgesItem that draws every edge.
//
// Not one QGraphicsItem per node: creating and BSP-indexing 24k items cost a
// 20k-node tree ~100 ms per rebuild, and far out the view visited and painted
// every one of them. The scene keeps NoIndex (it holds two items, plus any
// NodeItem a caller asked for); hit tests and exposed-area culling use the
// layout's own boxes (NodeGrid).
class TreeScene : public QGraphicsScene {
  Q_OBJECT

 public:
  explicit TreeScene(QObject* parent = nullptr);
  ~TreeScene() override;

  void setTree(std::shared_ptr<const TokenTree> tree, const QString& prompt_text);
  // The same, showing steps up to `max_step` (playback), in ONE layout pass:
  // a live decode sends a deeper snapshot every few dozen ms, and laying out
  // twice (new tree, then new depth) doubled the GUI thread's work.
  void setTree(std::shared_ptr<const TokenTree> tree, const QString& prompt_text, int max_step);
  const std::shared_ptr<const TokenTree>& tree() const { return tree_; }
  QString promptText() const { return prompt_text_; }

  void setTreeStyle(const TreeStyle& style);
  const TreeStyle& treeStyle() const { return style_; }
  void setProbabilityMode(ProbabilityMode mode);
  ProbabilityMode probabilityMode() const { return mode_; }

  // What is drawn (layout/tree_filter.h): everything, or the kept / returned
  // paths with the rest folded into one stub per parent. Stubs have display
  // ids after the tree's nodes; a click on one opens or closes it.
  // Path and Subtree views show the path to `focus` (and below it).
  void setFilter(TreeFilter filter, int focus = -1);
  TreeFilter filter() const { return filter_; }
  bool isStub(int id) const { return filtered_.is_stub(id); }
  const FilteredTree& filteredTree() const { return filtered_; }
  // Opens a closed stub, closes an open one (id is the stub's display id).
  void toggleStub(int id);
  // Which way the tree grows.
  void setOrientation(LayoutOrientation orientation);
  LayoutOrientation orientation() const { return orientation_; }
  // Lays the tree out both ways and keeps the one that can be shown larger
  // in a viewport of this size (presentation mode); returns it.
  LayoutOrientation fitOrientation(const QSizeF& viewport);

  // Playback: show only nodes with step <= max_step.
  void setMaxStep(int max_step);
  int maxStep() const { return max_step_; }
  // Largest step in the tree (0 for just the root).
  int treeDepth() const { return depth_; }
  // A live snapshot of a run still decoding (its answers are not chosen yet).
  void setLive(bool live);
  // Beam search has not decided what it returns in what is shown: a live run,
  // or playback before the last step. Finished hypotheses then all look
  // "finished" (kept or dropped at the end), none "returned".
  bool isUndecided() const { return decided_at_end_ && (live_ || max_step_ < depth_); }

  // The node the inspector shows (-1 = none). Emits nodeSelected on change.
  void selectNode(int id);
  // A user's pick (a click, the arrow keys, a link in the inspector, a
  // result): selects `id` and emits nodePicked, which a tree the window
  // selects on its own (a new run) does not.
  void pickNode(int id);
  int selectedNode() const { return selected_; }
  // Highlights the path root→id (a clicked result); -1 clears. While
  // playback has not reached the path's last step the path is not drawn
  // (reveal as you go): the winner is not given away before it is decided.
  void setHighlightedNode(int id);
  int highlightedNode() const { return highlighted_; }
  // Whether node `id` is drawn as part of the highlighted path now.
  bool isOnHighlightedPath(int id) const {
    return id >= 0 && id < static_cast<int>(on_path_.size()) && on_path_[std::size_t(id)] != 0;
  }

  // Visible neighbour of `id` in a direction, or -1.
  int neighbour(int id, TreeDirection direction) const;

  // The node as an item of its own (created on first request, kept and
  // updated across snapshots while the node exists); nullptr out of range.
  NodeItem* itemForNode(int id);
  // The visible node or stub whose box contains a scene point, or -1.
  int nodeAt(const QPointF& scene_pos) const;
  bool isNodeVisible(int id) const;
  int visibleNodeCount() const { return visible_count_; }
  // The box of a shown node or stub (where the layout puts it); empty
  // otherwise.
  QRectF nodeRect(int id) const;
  // Where it is drawn now: nodeRect, or on its way there (setAnimated).
  QRectF shownRect(int id) const;

  // Steps and parameter changes move the nodes to their new places over a
  // quarter of a second (TreeMotion) instead of jumping. Off unless asked
  // (the window asks on a real screen; exports and tests lay out at once).
  void setAnimated(bool on);
  bool isAnimated() const { return animated_; }
  bool isMoving() const;
  // Skips to the end of a motion (a click or key in the view, an export).
  void finishMotion();
  QRectF treeRect() const { return tree_rect_; }
  const TreeLayout& layout() const { return layout_; }
  const EdgesItem* edgesItem() const { return edges_; }
  const NodesItem* nodesItem() const { return nodes_; }
  // Labels worded and measured by the last tree change: every node for a
  // new tree, only the new ones for a tree that grew (a live snapshot).
  int labelsMeasured() const { return labels_measured_; }

 signals:
  void nodeSelected(int id);
  void nodePicked(int id);
  void nodeActivated(int id);  // double-click: "what if" on an alternative
  void nodeContextMenuRequested(int id, const QPoint& screen_pos);
  void treeLaidOut();
  void undecidedChanged(bool undecided);

 protected:
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
  void contextMenuEvent(QGraphicsSceneContextMenuEvent* event) override;

 private:
  // Words and measures the nodes' labels; only the new ones when the tree
  // grew from `previous` (the one drawn before).
  void refreshLabels(const TokenTree* previous = nullptr);
  // The labeler for the current style, mode and prompt: kept across trees
  // (its caches make a slider change's labels mostly lookups), made anew
  // when one of the three changes.
  NodeLabeler& labeler();
  void relayout();
  void applyHighlight();
  void updateLiftedItem(int id);
  void updateUndecided();
  // Boxes and edges for `layout` (the target, or a motion's frame).
  void applyGeometry(const TreeLayout& layout);

  std::shared_ptr<const TokenTree> tree_;
  QString prompt_text_;
  TreeStyle style_;
  ProbabilityMode mode_ = ProbabilityMode::Probability;
  int max_step_ = std::numeric_limits<int>::max();
  int depth_ = 0;
  bool live_ = false;
  bool decided_at_end_ = false;  // beam search made the tree (tree_paths.h)
  int selected_ = -1;
  int highlighted_ = -1;
  int visible_count_ = 0;
  int labels_measured_ = 0;
  TreeFilter filter_ = TreeFilter::Everything;
  int filter_focus_ = -1;
  ExpandedStubs expanded_;  // parents whose stub is open
  LayoutOrientation orientation_ = LayoutOrientation::LeftToRight;
  FilteredTree filtered_;
  std::unique_ptr<NodeLabeler> labeler_;  // null until labels are needed
  std::vector<NodeSize> sizes_;           // real nodes, from their labels
  std::vector<NodeSize> layout_sizes_;    // real nodes, then stubs
  std::vector<char> on_path_;             // by node id: on the highlighted path
  // By node id, nullptr until itemForNode asks; owned by the scene.
  std::vector<NodeItem*> items_;
  class TreeMotion* motion_ = nullptr;
  bool animated_ = false;
  NodesItem* nodes_ = nullptr;
  EdgesItem* edges_ = nullptr;
  TreeLayout layout_;
  QRectF tree_rect_;
};

}  // namespace beamscope::ui
