#pragma once

#include <QGraphicsItem>
#include <optional>

#include "decoding/token_tree.h"
#include "node_painter.h"

namespace beamscope::ui {

struct TreeStyle;

// One node lifted out of the batched drawing (NodesItem) into a scene item
// of its own: a handle for callers that want one node as an object (tests,
// tools). Created on demand by TreeScene::itemForNode; NodesItem skips the
// nodes that have one, so each node is still drawn exactly once, by the same
// paint_node. The scene owns the data; the item only points at it.
class NodeItem : public QGraphicsItem {
 public:
  enum { Type = UserType + 1 };

  explicit NodeItem(int node_id);
  int type() const override { return Type; }
  int nodeId() const { return node_id_; }

  void setContent(const TreeNode* node, const TreeStyle* style, const NodeLabel& label,
                  QSizeF size);
  void setFocused(bool focused);
  void setHighlighted(bool highlighted);
  void setUndecided(bool undecided);  // see TreeScene::isUndecided
  bool isFocused() const { return focused_; }
  bool isHighlighted() const { return highlighted_; }
  QSizeF size() const { return size_; }
  QString tokenLabel() const { return label_.token; }
  QString detailLabel() const { return label_.detail; }
  QString badgeLabel() const { return label_.badge; }

  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  int node_id_;
  const TreeNode* node_ = nullptr;
  const TreeStyle* style_ = nullptr;
  NodeLabel label_;
  std::optional<NodeText> text_;  // laid out on the first paint with text
  QSizeF size_;
  bool focused_ = false;
  bool highlighted_ = false;
  bool undecided_ = false;
};

}  // namespace beamscope::ui
