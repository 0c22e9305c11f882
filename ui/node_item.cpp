#include "node_item.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <cmath>

#include "tree_style.h"

namespace beamscope::ui {

namespace {
constexpr qreal kOutline = 6.0;  // room around the box for focus/highlight rings
// Below these zoom levels text is unreadable anyway: skip it (20k-node trees).
constexpr qreal kLodNoText = 0.3;
constexpr qreal kLodNoDetail = 0.5;
}  // namespace

NodeItem::NodeItem(int node_id) : node_id_(node_id) {
  setFlag(ItemUsesExtendedStyleOption, false);
  setAcceptHoverEvents(false);
  setZValue(1.0);
  token_.setTextFormat(Qt::PlainText);
  detail_.setTextFormat(Qt::PlainText);
}

void NodeItem::setContent(const TreeNode* node, const TreeStyle* style, const QString& token,
                          const QString& detail, const QString& badge, QSizeF size) {
  if (size != size_) prepareGeometryChange();
  node_ = node;
  style_ = style;
  if (token_.text() != token) token_.setText(token);
  if (detail_.text() != detail) detail_.setText(detail);
  badge_ = badge;
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

QRectF NodeItem::boundingRect() const {
  return QRectF(QPointF(0, 0), size_).adjusted(-kOutline, -kOutline, kOutline, kOutline);
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  if (!node_ || !style_) return;
  const StatusLook& look = style_->look(node_->status);
  const QRectF box(QPointF(0, 0), size_);
  const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
  if (lod < kLodNoText) {
    // Far out: a solid block in the status colour is all the eye can use.
    painter->fillRect(box, highlighted_ ? style_->highlight
                           : focused_   ? style_->focus
                                        : look.border);
    return;
  }
  const qreal radius = 5.0 * style_->scale;
  if (highlighted_) {
    painter->setPen(style_->highlight_pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(box.adjusted(-2.5, -2.5, 2.5, 2.5), radius + 2, radius + 2);
  }
  painter->setPen(look.pen);
  painter->setBrush(look.brush);
  painter->drawRoundedRect(box, radius, radius);
  if (focused_) {
    painter->setPen(style_->focus_pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(box.adjusted(-4.5, -4.5, 4.5, 4.5), radius + 4, radius + 4);
  }
  // Step probability as a bar along the bottom edge: long bar = likely token.
  if (node_->parent >= 0) {
    const double p = std::exp(node_->logprob);
    if (std::isfinite(p) && p > 0) {
      const qreal inset = radius * 0.6;
      const qreal bar_h = 2.5 * style_->scale;
      painter->fillRect(QRectF(box.left() + inset, box.bottom() - bar_h - 1.5,
                               (box.width() - 2 * inset) * std::min(1.0, p), bar_h),
                        look.border);
    }
  }
  if (node_->forced) {
    // A corner flag marks a token the user forced ("what if").
    const qreal s = 9.0 * style_->scale;
    const QPointF corner[3] = {box.topLeft(), box.topLeft() + QPointF(s, 0),
                               box.topLeft() + QPointF(0, s)};
    painter->setPen(Qt::NoPen);
    painter->setBrush(style_->forced);
    painter->drawPolygon(corner, 3);
  }
  if (lod < kLodNoText) return;
  const qreal pad_x = 6.0 * style_->scale;
  const qreal pad_y = 3.0 * style_->scale;
  painter->setPen(look.text_pen);
  painter->setFont(style_->token_font);
  painter->drawStaticText(QPointF(pad_x, pad_y), token_);
  if (lod < kLodNoDetail) return;
  painter->setFont(style_->detail_font);
  painter->drawStaticText(QPointF(pad_x, pad_y + style_->token_line_height), detail_);
  if (!badge_.isEmpty()) {
    painter->drawText(box.adjusted(0, pad_y, -pad_x, 0), Qt::AlignRight | Qt::AlignTop, badge_);
  }
}

}  // namespace beamscope::ui
