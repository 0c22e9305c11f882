#include "export_page.h"

#include <QRegularExpression>
#include <algorithm>

#include "util/error.h"

namespace beamscope::ui {

namespace {
constexpr qreal kMargin = 16.0;  // points around the page's contents
constexpr qreal kMaxSide = 20000.0;
}  // namespace

QSizeF parse_page_shape(const QString& text) {
  const QString t = text.trimmed().toLower();
  if (t == QLatin1String("16:9")) return {960, 540};
  if (t == QLatin1String("4:3")) return {720, 540};
  if (t == QLatin1String("a4")) return {842, 595};
  static const QRegularExpression size(QStringLiteral("^(\\d{1,5})x(\\d{1,5})$"));
  const QRegularExpressionMatch m = size.match(t);
  if (m.hasMatch()) {
    const qreal w = m.captured(1).toDouble();
    const qreal h = m.captured(2).toDouble();
    if (w >= 100 && h >= 100 && w <= kMaxSide && h <= kMaxSide) return {w, h};
  }
  throw Error("The page must be 16:9, 4:3, a4 or WxH with each side from 100 to 20000 (got '" +
              text.toStdString() + "').");
}

PagePlan plan_page(const QSizeF& page, const QSizeF& tree_size,
                   const std::optional<QSizeF>& legend_across,
                   const std::optional<QSizeF>& legend_down) {
  PagePlan best;
  best.page = page;
  best.scale = -1;
  auto consider = [&](std::optional<LegendOrientation> legend, const QSizeF& legend_size) {
    // The room the tree gets once the legend has its strip.
    QRectF room(kMargin, kMargin, page.width() - 2 * kMargin, page.height() - 2 * kMargin);
    QPointF legend_at = room.topLeft();
    if (legend == LegendOrientation::Horizontal) {
      if (legend_size.width() > room.width()) return;
      room.setTop(room.top() + legend_size.height() + kMargin / 2);
    } else if (legend == LegendOrientation::Vertical) {
      if (legend_size.height() > room.height()) return;
      legend_at = QPointF(room.right() - legend_size.width(), room.top());
      room.setRight(room.right() - legend_size.width() - kMargin / 2);
    }
    if (room.width() <= 0 || room.height() <= 0) return;
    const qreal scale =
        std::min(room.width() / tree_size.width(), room.height() / tree_size.height());
    if (scale <= best.scale) return;
    best.scale = scale;
    best.legend = legend;
    best.legend_at = legend_at;
    const QSizeF drawn = tree_size * scale;
    best.tree = QRectF(room.center() - QPointF(drawn.width() / 2, drawn.height() / 2), drawn);
  };
  if (!legend_across && !legend_down) consider(std::nullopt, {});
  if (legend_across) consider(LegendOrientation::Horizontal, *legend_across);
  if (legend_down) consider(LegendOrientation::Vertical, *legend_down);
  if (best.scale <= 0) {
    // A legend taller and wider than the page: the tree alone, then.
    consider(std::nullopt, {});
  }
  return best;
}

}  // namespace beamscope::ui
