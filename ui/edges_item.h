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
  int pen = 0;        // index into the item's pens (width/colour by probability and status)
  QRectF bounds;      // for culling against the exposed rect
  int child = 0;      // node id of the edge's lower end
  bool highlighted = false;
};

// All edges of the tree in one item: one bounding box for the scene index
// instead of 20k, and painting culls to the exposed rectangle. Paths and pens
// are prepared in setEdges, so a frame allocates nothing. Edges share a small
// table of pens (probability in 1/256 steps), so far out, where edges are
// straight lines, each pen's lines go out in one drawLines.
class EdgesItem : public QGraphicsItem {
 public:
  enum { Type = UserType + 2 };

  EdgesItem();
  int type() const override { return Type; }

  void setEdges(std::vector<Edge> edges, std::vector<QPen> pens, const QRectF& bounds,
                const QPen& highlight_pen);
  const std::vector<Edge>& edges() const { return edges_; }
  const QPen& pen(const Edge& edge) const { return pens_[static_cast<std::size_t>(edge.pen)]; }
  // Marks the edges whose child is on the highlighted path (indexed by node id).
  void setHighlightedNodes(const std::vector<char>& on_path);

  QRectF boundingRect() const override { return bounds_; }
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  void paintStraight(QPainter& painter, const QRectF& exposed);

  std::vector<Edge> edges_;
  std::vector<QPen> pens_;
  QRectF bounds_;
  QPen highlight_pen_;
  std::vector<std::vector<QLineF>> lines_by_pen_;  // per-frame scratch, kept
};

}  // namespace beamscope::ui
