#include "tree_style.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <algorithm>
#include <cmath>
#include <iterator>

#include "layout/tree_palette.h"

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
  // Enlarged (presentation mode, a slide's font scale), the probabilities
  // must be read from the back of the room too: the detail line grows to
  // three quarters of the token line instead of two thirds.
  s.detail_font = fonts((scale > 1.0 ? 11.25 : 10.0) * scale, false);
  s.finish();
}

// Each status's look, in NodeStatus order.
constexpr StatusLook TreeStyle::*kLooks[] = {&TreeStyle::root,        &TreeStyle::selected,
                                             &TreeStyle::alternative, &TreeStyle::pruned,
                                             &TreeStyle::finished,    &TreeStyle::returned};

QColor qcolor(Rgb c) { return QColor(c.r, c.g, c.b); }

StatusLook make_look(const StatusColors& c) {
  StatusLook look;
  look.fill = qcolor(c.fill);
  look.border = qcolor(c.border);
  look.text = qcolor(c.text);
  look.border_style = c.border_style == BorderStyle::Dashed   ? Qt::DashLine
                      : c.border_style == BorderStyle::Dotted ? Qt::DotLine
                                                              : Qt::SolidLine;
  look.border_width = c.border_width;
  return look;
}

void finish_look(StatusLook& look) {
  look.pen = QPen(look.border, look.border_width, look.border_style);
  look.pen.setCosmetic(false);
  look.brush = QBrush(look.fill);
  look.text_pen = QPen(look.text);
}

// The colours come from the core palette that the DOT and TikZ exports share.
TreeStyle from_palette(const TreePalette& p, bool dark, double scale) {
  TreeStyle s;
  s.dark = dark;
  s.background = qcolor(p.background);
  s.edge = qcolor(p.edge);
  s.faint_edge = qcolor(p.faint_edge);
  s.highlight = qcolor(p.highlight);
  s.focus = qcolor(p.focus);
  s.forced = qcolor(p.forced);
  s.legend_text = qcolor(p.legend_text);
  for (std::size_t i = 0; i < std::size(kLooks); ++i) {
    s.*kLooks[i] = make_look(p.of(static_cast<NodeStatus>(i)));
  }
  set_fonts(s, scale);
  return s;
}

}  // namespace

void TreeStyle::finish() {
  for (StatusLook TreeStyle::*l : kLooks) finish_look(this->*l);
  highlight_pen = QPen(highlight, 3.0 * scale);
  focus_pen = QPen(focus, 2.5 * scale, Qt::SolidLine);
  token_line_height = QFontMetricsF(token_font).height();
  detail_line_height = QFontMetricsF(detail_font).height();
}

const StatusLook& TreeStyle::look(NodeStatus status) const {
  const auto i = static_cast<std::size_t>(status);
  return i < std::size(kLooks) ? this->*kLooks[i] : alternative;
}

TreeStyle TreeStyle::light(double scale) {
  return from_palette(TreePalette::light(), false, scale);
}

TreeStyle TreeStyle::dark_style(double scale) {
  return from_palette(TreePalette::dark(), true, scale);
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

NodeStatus shown_status(NodeStatus status, bool undecided) {
  return undecided && status == NodeStatus::Returned ? NodeStatus::Finished : status;
}

QString undecided_finished_label() {
  return QCoreApplication::translate("beamscope", "finished (returned or not: decided at the end)");
}

}  // namespace beamscope::ui
