#include "node_painter.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "tree_style.h"

namespace beamscope::ui {

QStaticText plain_static_text(const QString& text) {
  QStaticText s(text);
  s.setTextFormat(Qt::PlainText);
  return s;
}

NodeText::NodeText(const NodeLabel& label) : NodeText(plain_static_text(label.token), label) {}

NodeText::NodeText(const QStaticText& token_text, const NodeLabel& label)
    : token(token_text), detail(plain_static_text(label.detail)), badge(label.badge) {}

NodeText::NodeText(const QStaticText& token_text, const QStaticText& detail_text,
                   const QString& badge)
    : token(token_text), detail(detail_text), badge(badge) {}

QColor node_block_colour(const TreeNode& node, const TreeStyle& style, bool focused,
                         bool highlighted, bool undecided) {
  if (highlighted) return style.highlight;
  if (focused) return style.focus;
  return style.look(shown_status(node.status, undecided)).border;
}

void paint_node(QPainter& painter, const QRectF& box, const TreeNode& node, const TreeStyle& style,
                const NodeText* text, bool focused, bool highlighted, qreal lod, bool undecided) {
  if (lod < kLodNoText) {
    // Far out: a solid block in the status colour is all the eye can use.
    painter.fillRect(box, node_block_colour(node, style, focused, highlighted, undecided));
    return;
  }
  const StatusLook& look = style.look(shown_status(node.status, undecided));
  const qreal radius = 5.0 * style.scale;
  if (highlighted) {
    painter.setPen(style.highlight_pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(box.adjusted(-2.5, -2.5, 2.5, 2.5), radius + 2, radius + 2);
  }
  painter.setPen(look.pen);
  painter.setBrush(look.brush);
  painter.drawRoundedRect(box, radius, radius);
  if (focused) {
    painter.setPen(style.focus_pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(box.adjusted(-4.5, -4.5, 4.5, 4.5), radius + 4, radius + 4);
  }
  // Step probability as a bar along the bottom edge: long bar = likely token.
  if (node.parent >= 0) {
    const double p = std::exp(node.logprob);
    if (std::isfinite(p) && p > 0) {
      const qreal inset = radius * 0.6;
      const qreal bar_h = 2.5 * style.scale;
      painter.fillRect(QRectF(box.left() + inset, box.bottom() - bar_h - 1.5,
                              (box.width() - 2 * inset) * std::min(1.0, p), bar_h),
                       look.border);
    }
  }
  if (node.forced) {
    // A corner flag marks a token the user forced ("what if").
    const qreal s = 9.0 * style.scale;
    const QPointF corner[3] = {box.topLeft(), box.topLeft() + QPointF(s, 0),
                               box.topLeft() + QPointF(0, s)};
    painter.setPen(Qt::NoPen);
    painter.setBrush(style.forced);
    painter.drawPolygon(corner, 3);
  }
  if (!text) return;
  const qreal pad_x = 6.0 * style.scale;
  const qreal pad_y = 3.0 * style.scale;
  painter.setPen(look.text_pen);
  painter.setFont(style.token_font);
  painter.drawStaticText(box.topLeft() + QPointF(pad_x, pad_y), text->token);
  if (lod < kLodNoDetail) return;
  painter.setFont(style.detail_font);
  painter.drawStaticText(box.topLeft() + QPointF(pad_x, pad_y + style.token_line_height),
                         text->detail);
  if (!text->badge.isEmpty()) {
    painter.drawText(box.adjusted(0, pad_y, -pad_x, 0), Qt::AlignRight | Qt::AlignTop, text->badge);
  }
}

void paint_stub(QPainter& painter, const QRectF& box, const TreeStyle& style, const NodeText* text,
                qreal lod) {
  const StatusLook& look = style.look(NodeStatus::Alternative);
  if (lod < kLodNoText) {
    painter.fillRect(box, look.border);
    return;
  }
  QPen pen = look.pen;
  pen.setStyle(Qt::DashLine);
  painter.setPen(pen);
  painter.setBrush(style.background);
  const qreal radius = box.height() / 2;
  painter.drawRoundedRect(box, radius, radius);
  if (!text) return;
  painter.setPen(look.text_pen);
  painter.setFont(style.detail_font);
  // The stub's words are its label's token line, set in the detail font.
  painter.drawStaticText(box.topLeft() + QPointF(6.0 * style.scale, 3.0 * style.scale + 1),
                         text->token);
}

}  // namespace beamscope::ui
