#include "node_item.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace beamscope::ui {

NodeItem::NodeItem(int node_id) : node_id_(node_id) {
  setFlag(ItemUsesExtendedStyleOption, false);
  setAcceptHoverEvents(false);
  setZValue(1.0);
}

void NodeItem::setContent(const TreeNode* node, const TreeStyle* style, const NodeLabel& label,
                          QSizeF size) {
  if (size != size_) prepareGeometryChange();
  node_ = node;
  style_ = style;
  if (label.token != label_.token || label.detail != label_.detail || label.badge != label_.badge) {
    label_ = label;
    text_.reset();
  }
  size_ = size;
  update();
}

void NodeItem::setFocused(bool focused) {
  if (focused_ == focused) return;
  focused_ = focused;
  update();
}

void NodeItem::setHighlighted(bool highlighted) {
  if (highlighted_ == highlighted) return;
  highlighted_ = highlighted;
  update();
}

void NodeItem::setUndecided(bool undecided) {
  if (undecided_ == undecided) return;
  undecided_ = undecided;
  update();
}

QRectF NodeItem::boundingRect() const {
  return QRectF(QPointF(0, 0), size_)
      .adjusted(-kNodeOutline, -kNodeOutline, kNodeOutline, kNodeOutline);
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  if (!node_ || !style_) return;
  const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
  if (lod >= kLodNoText && !text_) text_.emplace(label_);
  paint_node(*painter, QRectF(QPointF(0, 0), size_), *node_, *style_,
             lod >= kLodNoText ? &*text_ : nullptr, focused_, highlighted_, lod, undecided_);
}

}  // namespace beamscope::ui
