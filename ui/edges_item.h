#pragma once

#include <QGraphicsItem>
#include <QPainterPath>
#include <QPen>
#include <vector>

namespace beamscope::ui {

// One parent→child connection, built once per layout.
struct Edge {
  QPainterPath path;  // cubic from the parent's right side to the child's left side
  QLineF line;        // straight version for far zoom
  QPen pen;           // width/colour by probability and status
  QRectF bounds;      // for culling against the exposed rect
  int child = 0;      // node id of the edge's lower end
  bool highlighted = false;
};

// All edges of the tree in one item: one bounding box for the scene index
// instead of 20k, and painting culls to the exposed rectangle. Paths and pens
// are prepared in setEdges, so a frame allocates nothing.
class EdgesItem : public QGraphicsItem {
 public:
  enum { Type = UserType + 2 };

  EdgesItem();
  int type() const override { return Type; }

  void setEdges(std::vector<Edge> edges, const QRectF& bounds, const QPen& highlight_pen);
  const std::vector<Edge>& edges() const { return edges_; }
  // Marks the edges whose child is on the highlighted path (indexed by node id).
  void setHighlightedNodes(const std::vector<char>& on_path);

  QRectF boundingRect() const override { return bounds_; }
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  std::vector<Edge> edges_;
  QRectF bounds_;
  QPen highlight_pen_;
};

}  // namespace beamscope::ui
