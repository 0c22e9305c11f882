#pragma once

#include <QPointF>
#include <QSizeF>

class QPainter;

namespace beamscope::ui {

struct TreeStyle;

enum class LegendOrientation { Vertical, Horizontal };

// Which entries a legend lists. An export lists only the looks its drawing
// uses (a greedy tree has no "pruned"); the on-screen overlay lists all.
struct LegendItems {
  bool status[6] = {false, true, true, true, true, true};  // by NodeStatus (Root never listed)
  bool forced = true;
  bool edge = true;
  bool highlight = true;
  bool focus = true;
  bool stub = true;
  // Beam search has not chosen its answers yet (TreeScene::isUndecided):
  // "finished" then says the choice comes at the end.
  bool undecided = false;

  static LegendItems all() { return {}; }
  bool empty() const;
};

// The key to the tree's looks: one swatch per node status, the what-if
// marker and the edge-width rule. Shared by the on-screen legend and image
// export so both say the same thing. A horizontal legend given a
// `wrap_width` (> 0) starts a new row before an entry that would pass it
// (the window's strip above the tree); 0 keeps one row (a page's band).
QSizeF legend_size(const TreeStyle& style, LegendOrientation orientation,
                   const LegendItems& items = LegendItems::all(), qreal wrap_width = 0);
void paint_legend(QPainter& painter, const QPointF& top_left, const TreeStyle& style,
                  LegendOrientation orientation, const LegendItems& items = LegendItems::all(),
                  qreal wrap_width = 0);

}  // namespace beamscope::ui
