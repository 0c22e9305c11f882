#include "legend_painter.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <array>
#include <vector>

#include "tree_style.h"

namespace beamscope::ui {

namespace {

enum class Swatch { Status, Forced, Edge, Highlight, Focus, Stub };

struct Entry {
  Swatch kind;
  NodeStatus status;
  QString text;
};

std::vector<Entry> entries(const LegendItems& items) {
  auto tr = [](const char* s) { return QCoreApplication::translate("beamscope", s); };
  const std::array<Entry, 10> all{{
      {Swatch::Status, NodeStatus::Selected, status_label(NodeStatus::Selected)},
      {Swatch::Status, NodeStatus::Alternative, status_label(NodeStatus::Alternative)},
      {Swatch::Status, NodeStatus::Pruned, status_label(NodeStatus::Pruned)},
      {Swatch::Status, NodeStatus::Finished,
       items.undecided ? undecided_finished_label() : status_label(NodeStatus::Finished)},
      {Swatch::Status, NodeStatus::Returned, status_label(NodeStatus::Returned)},
      {Swatch::Forced, NodeStatus::Selected, tr("forced (what if)")},
      {Swatch::Edge, NodeStatus::Selected, tr("edge width = step probability")},
      {Swatch::Highlight, NodeStatus::Selected, tr("highlighted result")},
      {Swatch::Focus, NodeStatus::Selected, tr("inspected node")},
      {Swatch::Stub, NodeStatus::Alternative, tr("+N: children folded into a stub")},
  }};
  std::vector<Entry> out;
  for (const Entry& e : all) {
    const bool wanted = e.kind == Swatch::Status      ? items.status[static_cast<int>(e.status)]
                        : e.kind == Swatch::Forced    ? items.forced
                        : e.kind == Swatch::Edge      ? items.edge
                        : e.kind == Swatch::Highlight ? items.highlight
                        : e.kind == Swatch::Focus     ? items.focus
                                                      : items.stub;
    if (wanted) out.push_back(e);
  }
  return out;
}

struct Metrics {
  qreal pad, swatch_w, swatch_h, gap, row_h;
};

Metrics metrics_for(const TreeStyle& style) {
  const qreal s = style.scale;
  const qreal row_h = std::max(style.detail_line_height * 1.25, 14.0 * s);
  return {8.0 * s, 22.0 * s, row_h * 0.7, 6.0 * s, row_h};
}

QFont legend_font(const TreeStyle& style) {
  QFont f = style.detail_font;
  f.setPixelSize(std::max(1, static_cast<int>(style.detail_font.pixelSize() * 1.1)));
  return f;
}

}  // namespace

bool LegendItems::empty() const {
  for (bool s : status) {
    if (s) return false;
  }
  return !forced && !edge && !highlight && !focus && !stub;
}

namespace {

// Where each entry's row starts (its swatch's left, the row's top), relative
// to the legend's top left, and the legend's size.
std::vector<QPointF> place_entries(const Metrics& m, const QFontMetricsF& fm,
                                   const std::vector<Entry>& list, LegendOrientation orientation,
                                   qreal wrap_width, QSizeF& size) {
  std::vector<QPointF> at;
  if (orientation == LegendOrientation::Vertical) {
    qreal text_w = 0;
    for (const Entry& e : list) {
      at.emplace_back(m.pad, m.pad + m.row_h * static_cast<qreal>(at.size()));
      text_w = std::max(text_w, fm.horizontalAdvance(e.text));
    }
    size = {2 * m.pad + m.swatch_w + m.gap + text_w,
            2 * m.pad + m.row_h * static_cast<qreal>(list.size())};
    return at;
  }
  qreal x = m.pad, y = m.pad, widest = 2 * m.pad;
  for (const Entry& e : list) {
    // Each entry is followed by a gap of 3 * gap, the last one too.
    const qreal w = m.swatch_w + m.gap + fm.horizontalAdvance(e.text) + 3 * m.gap;
    if (wrap_width > 0 && x > m.pad && x + w + m.pad > wrap_width) {
      x = m.pad;
      y += m.row_h;
    }
    at.emplace_back(x, y);
    x += w;
    widest = std::max(widest, x + m.pad);
  }
  size = {widest, y + m.row_h + m.pad};
  return at;
}

}  // namespace

QSizeF legend_size(const TreeStyle& style, LegendOrientation orientation, const LegendItems& items,
                   qreal wrap_width) {
  QSizeF size;
  place_entries(metrics_for(style), QFontMetricsF(legend_font(style)), entries(items), orientation,
                wrap_width, size);
  return size;
}

void paint_legend(QPainter& painter, const QPointF& top_left, const TreeStyle& style,
                  LegendOrientation orientation, const LegendItems& items, qreal wrap_width) {
  const Metrics m = metrics_for(style);
  const QFont font = legend_font(style);
  const QFontMetricsF fm(font);
  const std::vector<Entry> list = entries(items);
  QSizeF size;
  const std::vector<QPointF> places = place_entries(m, fm, list, orientation, wrap_width, size);
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  QColor panel = style.background;
  panel.setAlphaF(0.92);
  QColor frame = style.faint_edge;
  painter.setPen(QPen(frame, 1.0));
  painter.setBrush(panel);
  painter.drawRoundedRect(QRectF(top_left, size), 6, 6);
  painter.setFont(font);

  for (std::size_t i = 0; i < list.size(); ++i) {
    const Entry& e = list[i];
    const QPointF at = top_left + places[i];
    const QRectF swatch(at.x(), at.y() + (m.row_h - m.swatch_h) / 2, m.swatch_w, m.swatch_h);
    switch (e.kind) {
      case Swatch::Status: {
        const StatusLook& look = style.look(e.status);
        painter.setPen(look.pen);
        painter.setBrush(look.brush);
        painter.drawRoundedRect(swatch, 3, 3);
        break;
      }
      case Swatch::Forced: {
        painter.setPen(style.selected.pen);
        painter.setBrush(style.selected.brush);
        painter.drawRoundedRect(swatch, 3, 3);
        const qreal s = swatch.height() * 0.7;
        const QPointF tri[3] = {swatch.topLeft(), swatch.topLeft() + QPointF(s, 0),
                                swatch.topLeft() + QPointF(0, s)};
        painter.setPen(Qt::NoPen);
        painter.setBrush(style.forced);
        painter.drawPolygon(tri, 3);
        break;
      }
      case Swatch::Edge: {
        // Thin to thick: p small to p large.
        painter.setBrush(Qt::NoBrush);
        const qreal y = swatch.center().y();
        painter.setPen(QPen(style.edge, 1.0 * style.scale, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(swatch.left(), y - 3 * style.scale),
                         QPointF(swatch.right(), y - 3 * style.scale));
        painter.setPen(QPen(style.edge, 4.5 * style.scale, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(swatch.left(), y + 3 * style.scale),
                         QPointF(swatch.right(), y + 3 * style.scale));
        break;
      }
      case Swatch::Stub: {
        QPen pen = style.alternative.pen;
        pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.setBrush(style.background);
        painter.drawRoundedRect(swatch, swatch.height() / 2, swatch.height() / 2);
        break;
      }
      case Swatch::Highlight:
      case Swatch::Focus: {
        painter.setPen(e.kind == Swatch::Highlight ? style.highlight_pen : style.focus_pen);
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(swatch.adjusted(2, 1, -2, -1), 3, 3);
        break;
      }
    }
    painter.setPen(style.legend_text);
    const QRectF text_rect(swatch.right() + m.gap, at.y(), fm.horizontalAdvance(e.text) + 2,
                           m.row_h);
    painter.drawText(text_rect, Qt::AlignLeft | Qt::AlignVCenter, e.text);
  }
  painter.restore();
}

}  // namespace beamscope::ui
