#pragma once

#include <QPointF>
#include <QSizeF>

class QPainter;

namespace beamscope::ui {

struct TreeStyle;

enum class LegendOrientation { Vertical, Horizontal };

// The key to the tree's looks: one swatch per node status, the what-if
// marker and the edge-width rule. Shared by the on-screen overlay and image
// export so both say the same thing.
QSizeF legend_size(const TreeStyle& style, LegendOrientation orientation);
void paint_legend(QPainter& painter, const QPointF& top_left, const TreeStyle& style,
                  LegendOrientation orientation);

}  // namespace beamscope::ui
