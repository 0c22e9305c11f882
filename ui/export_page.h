#pragma once

#include <QRectF>
#include <QSizeF>
#include <QString>
#include <optional>

#include "layout/tree_layout.h"
#include "legend_painter.h"

namespace beamscope::ui {

// Page shapes for slides and paper, in points (1/72 in; one scene unit):
// "16:9" is 960×540 (PowerPoint's and Keynote's wide slide), "4:3" 720×540,
// "a4" 842×595 (landscape, as projected), "WxH" any size (e.g. 1920x1080).
// Throws beamscope::Error with one sentence for anything else.
QSizeF parse_page_shape(const QString& text);

// Where the parts of an export go on a page of a given shape.
struct PagePlan {
  QSizeF page;        // points
  qreal scale = 1.0;  // drawing units per scene unit
  LayoutOrientation orientation = LayoutOrientation::LeftToRight;
  QRectF tree;                              // the drawn tree (its layout's box) on the page
  std::optional<LegendOrientation> legend;  // none = no legend
  QPointF legend_at;
};

// Fits a tree drawing of `tree_size` (scene units, margins included) and a
// legend into `page`: the legend across the top or down the right side,
// whichever leaves the tree larger; the tree scaled to fill what is left and
// centred there.
PagePlan plan_page(const QSizeF& page, const QSizeF& tree_size,
                   const std::optional<QSizeF>& legend_across,
                   const std::optional<QSizeF>& legend_down);

}  // namespace beamscope::ui
