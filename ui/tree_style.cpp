#include "tree_style.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

namespace beamscope::ui {

namespace {

QFont fonts(double pixel_size, bool bold) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setStyleHint(QFont::SansSerif);
  f.setPixelSize(std::max(1, static_cast<int>(std::lround(pixel_size))));
  f.setBold(bold);
  return f;
}

void set_fonts(TreeStyle& s, double scale) {
  s.scale = scale;
  s.token_font = fonts(15.0 * scale, true);
  s.detail_font = fonts(10.0 * scale, false);
  s.finish();
}

StatusLook make_look(QColor fill, QColor border, QColor text, Qt::PenStyle style = Qt::SolidLine,
                     qreal width = 1.5) {
  StatusLook look;
  look.fill = fill;
  look.border = border;
  look.text = text;
  look.border_style = style;
  look.border_width = width;
  return look;
}

void finish_look(StatusLook& look) {
  look.pen = QPen(look.border, look.border_width, look.border_style);
  look.pen.setCosmetic(false);
  look.brush = QBrush(look.fill);
  look.text_pen = QPen(look.text);
}

}  // namespace

void TreeStyle::finish() {
  for (StatusLook* l : {&root, &selected, &alternative, &pruned, &finished, &returned}) {
    finish_look(*l);
  }
  highlight_pen = QPen(highlight, 3.0 * scale);
  focus_pen = QPen(focus, 2.5 * scale, Qt::SolidLine);
  token_line_height = QFontMetricsF(token_font).height();
  detail_line_height = QFontMetricsF(detail_font).height();
}

const StatusLook& TreeStyle::look(NodeStatus status) const {
  switch (status) {
    case NodeStatus::Root:
      return root;
    case NodeStatus::Selected:
      return selected;
    case NodeStatus::Alternative:
      return alternative;
    case NodeStatus::Pruned:
      return pruned;
    case NodeStatus::Finished:
      return finished;
    case NodeStatus::Returned:
      return returned;
  }
  return alternative;
}

TreeStyle TreeStyle::light(double scale) {
  TreeStyle s;
  s.background = QColor(0xFF, 0xFF, 0xFF);
  s.edge = QColor(0x33, 0x55, 0x88);
  s.faint_edge = QColor(0xB8, 0xBE, 0xC8);
  s.highlight = QColor(0xE0, 0x8A, 0x00);
  s.focus = QColor(0xD0, 0x1C, 0x8B);
  s.forced = QColor(0x7B, 0x3F, 0xC4);
  s.legend_text = QColor(0x22, 0x22, 0x22);
  s.root = make_look(QColor(0x2F, 0x3E, 0x55), QColor(0x1C, 0x27, 0x38), QColor(0xFF, 0xFF, 0xFF));
  s.selected =
      make_look(QColor(0xDC, 0xEB, 0xFF), QColor(0x2B, 0x6C, 0xC4), QColor(0x10, 0x24, 0x40));
  s.alternative = make_look(QColor(0xF4, 0xF5, 0xF7), QColor(0xA8, 0xAF, 0xBA),
                            QColor(0x5A, 0x62, 0x6E), Qt::DashLine, 1.0);
  s.pruned = make_look(QColor(0xFC, 0xE8, 0xE8), QColor(0xC6, 0x3C, 0x3C), QColor(0x70, 0x2A, 0x2A),
                       Qt::DotLine, 1.5);
  s.finished = make_look(QColor(0xFF, 0xF1, 0xD6), QColor(0xC7, 0x7C, 0x02),
                         QColor(0x4A, 0x33, 0x05), Qt::SolidLine, 2.0);
  s.returned = make_look(QColor(0xD9, 0xF2, 0xDF), QColor(0x1E, 0x8C, 0x45),
                         QColor(0x0E, 0x3B, 0x1F), Qt::SolidLine, 3.0);
  set_fonts(s, scale);
  return s;
}

TreeStyle TreeStyle::dark_style(double scale) {
  TreeStyle s;
  s.dark = true;
  s.background = QColor(0x1E, 0x21, 0x26);
  s.edge = QColor(0x8F, 0xB8, 0xF0);
  s.faint_edge = QColor(0x4F, 0x56, 0x61);
  s.highlight = QColor(0xFF, 0xB3, 0x3B);
  s.focus = QColor(0xFF, 0x5C, 0xC6);
  s.forced = QColor(0xB9, 0x8C, 0xFF);
  s.legend_text = QColor(0xE6, 0xE6, 0xE6);
  s.root = make_look(QColor(0xC9, 0xD6, 0xEA), QColor(0xE8, 0xEE, 0xF7), QColor(0x12, 0x18, 0x22));
  s.selected =
      make_look(QColor(0x1F, 0x3A, 0x5F), QColor(0x6C, 0xA6, 0xF0), QColor(0xEA, 0xF2, 0xFF));
  s.alternative = make_look(QColor(0x2A, 0x2E, 0x34), QColor(0x6A, 0x72, 0x7E),
                            QColor(0xB0, 0xB6, 0xC0), Qt::DashLine, 1.0);
  s.pruned = make_look(QColor(0x45, 0x22, 0x24), QColor(0xF0, 0x6E, 0x6E), QColor(0xF5, 0xC6, 0xC6),
                       Qt::DotLine, 1.5);
  s.finished = make_look(QColor(0x4A, 0x3A, 0x12), QColor(0xF2, 0xB2, 0x3E),
                         QColor(0xFF, 0xEC, 0xC8), Qt::SolidLine, 2.0);
  s.returned = make_look(QColor(0x17, 0x44, 0x2A), QColor(0x5C, 0xD6, 0x8A),
                         QColor(0xDD, 0xFF, 0xE8), Qt::SolidLine, 3.0);
  set_fonts(s, scale);
  return s;
}

TreeStyle TreeStyle::for_palette(const QPalette& palette, double scale) {
  return palette.color(QPalette::Window).lightnessF() < 0.5 ? dark_style(scale) : light(scale);
}

QString status_label(NodeStatus status) {
  switch (status) {
    case NodeStatus::Root:
      return QCoreApplication::translate("beamscope", "prompt");
    case NodeStatus::Selected:
      return QCoreApplication::translate("beamscope", "taken");
    case NodeStatus::Alternative:
      return QCoreApplication::translate("beamscope", "alternative (not taken)");
    case NodeStatus::Pruned:
      return QCoreApplication::translate("beamscope", "pruned beam candidate");
    case NodeStatus::Finished:
      return QCoreApplication::translate("beamscope", "finished, not returned");
    case NodeStatus::Returned:
      return QCoreApplication::translate("beamscope", "returned");
  }
  return {};
}

}  // namespace beamscope::ui
