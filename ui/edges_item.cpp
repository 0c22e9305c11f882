#include "edges_item.h"

#include <QPaintDevice>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace beamscope::ui {

namespace {
constexpr qreal kLodStraight = 0.35;  // below this zoom curves are not worth their cost
}

EdgesItem::EdgesItem() {
  setFlag(ItemUsesExtendedStyleOption, true);  // we need option->exposedRect
  setZValue(0.0);
}

void EdgesItem::setEdges(std::vector<Edge> edges, const QRectF& bounds, const QPen& highlight_pen) {
  prepareGeometryChange();
  edges_ = std::move(edges);
  bounds_ = bounds;
  highlight_pen_ = highlight_pen;
  update();
}

void EdgesItem::setHighlightedNodes(const std::vector<char>& on_path) {
  for (Edge& e : edges_) {
    const auto i = static_cast<std::size_t>(e.child);
    e.highlighted = i < on_path.size() && on_path[i] != 0;
  }
  update();
}

void EdgesItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  // QGraphicsScene::render() passes the whole bounding rect as exposed; the
  // device's own extent, mapped back, is the tighter bound there.
  QRectF exposed = option->exposedRect;
  if (const QPaintDevice* device = painter->device()) {
    bool invertible = false;
    const QTransform to_item = painter->worldTransform().inverted(&invertible);
    if (invertible) {
      const QRectF device_rect(0, 0, device->width(), device->height());
      exposed &= to_item.mapRect(device_rect);
    }
  }
  const bool straight =
      option->levelOfDetailFromTransform(painter->worldTransform()) < kLodStraight;
  painter->setBrush(Qt::NoBrush);
  // Two passes: highlighted edges go on top of the others.
  for (int pass = 0; pass < 2; ++pass) {
    for (const Edge& e : edges_) {
      if (e.highlighted != (pass == 1) || !exposed.intersects(e.bounds)) continue;
      if (e.highlighted) {
        painter->setPen(highlight_pen_);
      } else {
        painter->setPen(e.pen);
      }
      if (straight) {
        painter->drawLine(e.line);
      } else {
        painter->drawPath(e.path);
      }
    }
  }
}

}  // namespace beamscope::ui
