#include "node_grid.h"

#include <algorithm>

namespace beamscope::ui {

void NodeGrid::build(const std::vector<QRectF>& rects) {
  rects_ = rects;
  std::vector<int> order;
  order.reserve(rects.size());
  for (int id = 0; id < static_cast<int>(rects.size()); ++id) {
    if (!rects[static_cast<std::size_t>(id)].isEmpty()) order.push_back(id);
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const QRectF& ra = rects[static_cast<std::size_t>(a)];
    const QRectF& rb = rects[static_cast<std::size_t>(b)];
    return ra.left() != rb.left() ? ra.left() < rb.left() : ra.top() < rb.top();
  });
  entries_.clear();
  columns_.clear();
  entries_.reserve(order.size());
  for (int id : order) {
    const QRectF& r = rects[static_cast<std::size_t>(id)];
    if (columns_.empty() || columns_.back().left != r.left()) {
      const int at = static_cast<int>(entries_.size());
      columns_.push_back(Column{r.left(), r.right(), 0.0, at, at});
    }
    Column& c = columns_.back();
    c.right = std::max(c.right, r.right());
    c.tallest = std::max(c.tallest, r.height());
    entries_.push_back(Entry{r.top(), r.bottom(), r.right(), id});
    c.end = static_cast<int>(entries_.size());
  }
}

int NodeGrid::nodeAt(const QPointF& point) const {
  int found = -1;
  forEachIntersecting(QRectF(point, QSizeF(0, 0)), [&](int id) {
    if (rects_[static_cast<std::size_t>(id)].contains(point)) found = id;
  });
  return found;
}

}  // namespace beamscope::ui
