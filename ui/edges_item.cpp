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

void EdgesItem::setEdges(std::vector<Edge> edges, std::vector<QPen> pens, const QRectF& bounds,
                         const QPen& highlight_pen) {
  prepareGeometryChange();
  edges_ = std::move(edges);
  pens_ = std::move(pens);
  bounds_ = bounds;
  highlight_pen_ = highlight_pen;
  lines_by_pen_.resize(pens_.size() + 1);  // the last one: highlighted edges
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
  painter->setBrush(Qt::NoBrush);
  if (option->levelOfDetailFromTransform(painter->worldTransform()) < kLodStraight) {
    paintStraight(*painter, exposed);
    return;
  }
  // Two passes: highlighted edges go on top of the others.
  for (int pass = 0; pass < 2; ++pass) {
    for (const Edge& e : edges_) {
      if (e.highlighted != (pass == 1) || !exposed.intersects(e.bounds)) continue;
      painter->setPen(e.highlighted ? highlight_pen_ : pen(e));
      painter->drawPath(e.path);
    }
  }
}

void EdgesItem::paintStraight(QPainter& painter, const QRectF& exposed) {
  // Straight lines grouped by pen: one drawLines per pen instead of a pen
  // change and a drawLine per edge. Highlighted edges last, on top.
  for (auto& lines : lines_by_pen_) lines.clear();
  const std::size_t highlighted = pens_.size();
  for (const Edge& e : edges_) {
    if (!exposed.intersects(e.bounds)) continue;
    lines_by_pen_[e.highlighted ? highlighted : static_cast<std::size_t>(e.pen)].push_back(e.line);
  }
  for (std::size_t p = 0; p < lines_by_pen_.size(); ++p) {
    const auto& lines = lines_by_pen_[p];
    if (lines.empty()) continue;
    painter.setPen(p == highlighted ? highlight_pen_ : pens_[p]);
    painter.drawLines(lines.data(), static_cast<int>(lines.size()));
  }
}

}  // namespace beamscope::ui
