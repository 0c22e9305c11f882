#include "toolbar_icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace beamscope::ui {

namespace {

enum class Shape { Play, Stop };

QPixmap draw(Shape shape, int size, const QColor& colour) {
  QPixmap pixmap(size, size);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(colour);
  const double s = size;
  if (shape == Shape::Play) {
    QPainterPath triangle;
    triangle.moveTo(0.28 * s, 0.18 * s);
    triangle.lineTo(0.82 * s, 0.5 * s);
    triangle.lineTo(0.28 * s, 0.82 * s);
    triangle.closeSubpath();
    painter.drawPath(triangle);
  } else {
    painter.drawRoundedRect(QRectF(0.24 * s, 0.24 * s, 0.52 * s, 0.52 * s), 0.06 * s, 0.06 * s);
  }
  return pixmap;
}

QIcon make(Shape shape, const QPalette& palette) {
  QIcon icon;
  for (int size : {16, 22, 24, 32, 48, 64}) {
    icon.addPixmap(draw(shape, size, palette.color(QPalette::Active, QPalette::ButtonText)),
                   QIcon::Normal);
    icon.addPixmap(draw(shape, size, palette.color(QPalette::Disabled, QPalette::ButtonText)),
                   QIcon::Disabled);
  }
  return icon;
}

}  // namespace

QIcon run_icon(const QPalette& palette) { return make(Shape::Play, palette); }
QIcon cancel_icon(const QPalette& palette) { return make(Shape::Stop, palette); }

}  // namespace beamscope::ui
