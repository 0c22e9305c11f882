#pragma once

#include <QGraphicsItem>
#include <QHash>
#include <QStaticText>
#include <memory>
#include <vector>

#include "decoding/token_tree.h"
#include "node_grid.h"
#include "node_painter.h"

namespace beamscope::ui {

struct TreeStyle;

// Every node box of the tree in one item (like EdgesItem for the edges).
//
// One QGraphicsItem per node cost a 20k-node tree ~100 ms to create and
// index, and at fit-to-window the view visited and painted every item
// (~2 µs each with its own transform and painter state) although each was a
// single block of colour. Here the scene index holds one item; painting asks
// the NodeGrid for the boxes in the exposed rectangle; below kLodNoText the
// blocks are batched, one drawRects per colour; above it each box is drawn by
// paint_node with its text laid out on its first paint.
class NodesItem : public QGraphicsItem {
 public:
  enum { Type = UserType + 3 };

  NodesItem();
  int type() const override { return Type; }

  // The tree and style outlive the item's use of them (the scene owns both).
  // Clears the laid-out text; call when the labels change.
  void setLabels(const TokenTree* tree, const TreeStyle* style, std::vector<NodeLabel> labels);
  // The tree grew (a live snapshot): nodes below `keep` keep their labels
  // and laid-out text but for `changed`; `added` are nodes keep, keep+1, …
  void extendLabels(const TokenTree* tree, int keep, std::vector<std::pair<int, NodeLabel>> changed,
                    std::vector<NodeLabel> added);
  // The stubs' words ("+12 alternatives"), display ids after the tree's nodes.
  void setStubLabels(std::vector<NodeLabel> labels);
  // rects[id] is node id's box in scene units, empty for a hidden node.
  void setBoxes(std::vector<QRectF> rects, const QRectF& bounds);
  void setFocusedNode(int id);
  // on_path[id] != 0 marks node id as on the highlighted path.
  void setHighlightedNodes(const std::vector<char>& on_path);
  // A lifted node is drawn by its own NodeItem and skipped here.
  void setLifted(int id, bool lifted);
  // Beam search has not chosen its answers (TreeScene::isUndecided).
  void setUndecided(bool undecided);
  bool isUndecided() const { return undecided_; }

  const NodeLabel& label(int id) const { return labels_[static_cast<std::size_t>(id)]; }
  QRectF box(int id) const { return rects_[static_cast<std::size_t>(id)]; }
  int nodeAt(const QPointF& scene_pos) const { return grid_.nodeAt(scene_pos); }

  QRectF boundingRect() const override { return bounds_; }
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  void paintBlocks(QPainter& painter, const QRectF& exposed);
  void paintBoxes(QPainter& painter, const QRectF& exposed, qreal lod);
  void paintPathLabels(QPainter& painter, const QRectF& exposed, qreal lod);
  void updateNode(int id);
  // The laid-out line for `text` from `cache`, laid out on its first use.
  static const QStaticText& cachedText(QHash<QString, QStaticText>& cache, const QString& text);

  const TokenTree* tree_ = nullptr;
  const TreeStyle* style_ = nullptr;
  std::vector<NodeLabel> labels_;  // the tree's nodes, then the stubs
  int node_count_ = 0;
  std::vector<std::unique_ptr<NodeText>> texts_;  // by id, laid out on first paint
  // Token lines by text, kept across setLabels: a slider change redraws a
  // tree of mostly the same tokens, and shaping their text again was a third
  // of the repaint. Copies share the layout (QStaticText is explicitly
  // shared). Bounded by the vocabulary; emptied past kMaxCachedTokens.
  QHash<QString, QStaticText> token_texts_;
  // Detail lines the same way: they show the raw probabilities, which a
  // slider change (temperature, min-p, beam width) keeps for every node the
  // two trees share, so most lines of the new tree were laid out before.
  QHash<QString, QStaticText> detail_texts_;
  std::vector<QRectF> rects_;
  std::vector<char> on_path_;
  std::vector<int> path_ids_;  // the highlighted path's nodes, for far-out labels
  std::vector<char> lifted_;
  NodeGrid grid_;
  QRectF bounds_;
  int focused_ = -1;
  bool undecided_ = false;
  // Per-frame scratch for the batched blocks, kept to avoid reallocating.
  std::vector<QColor> block_colours_;
  std::vector<std::vector<QRectF>> block_rects_;
};

}  // namespace beamscope::ui
