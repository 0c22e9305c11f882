#include "tree_geometry.h"

#include <algorithm>
#include <cmath>

#include "tree_style.h"

namespace beamscope::ui {

namespace {
// Edge pens by step probability in 1/kPenLevels steps: two tables (taken
// paths, alternatives) instead of one pen per edge; a step is at most 0.02
// scene units of width and 0.2 % of alpha, below what a pixel shows. The
// pen after both tables is the stubs' dashed one.
constexpr int kPenLevels = 256;
constexpr int kStubPen = 2 * (kPenLevels + 1);

std::vector<QPen> edge_pens(const TreeStyle& style) {
  std::vector<QPen> pens;
  pens.reserve(kStubPen + 1);
  for (int taken = 0; taken < 2; ++taken) {
    for (int level = 0; level <= kPenLevels; ++level) {
      const double prob = static_cast<double>(level) / kPenLevels;
      QColor colour = taken ? style.edge : style.faint_edge;
      if (!taken) colour.setAlphaF(0.55 + 0.45 * prob);
      pens.emplace_back(colour, (0.8 + 5.0 * prob) * style.scale, Qt::SolidLine, Qt::RoundCap);
    }
  }
  pens.emplace_back(style.faint_edge, 1.2 * style.scale, Qt::DashLine, Qt::RoundCap);
  return pens;
}
}  // namespace

TreeGeometry build_tree_geometry(const TokenTree& tree, const FilteredTree& filtered,
                                 const TreeLayout& layout, const std::vector<NodeSize>& sizes,
                                 const TreeStyle& style) {
  const int total = layout.size();
  const bool ltr = layout.orientation == LayoutOrientation::LeftToRight;
  TreeGeometry g;
  g.pens = edge_pens(style);
  g.boxes.assign(static_cast<std::size_t>(total), QRectF());
  g.edges.reserve(static_cast<std::size_t>(total));
  for (int id = 0; id < total; ++id) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (!layout.visible[i]) continue;
    const bool stub = filtered.is_stub(id);
    g.shown_nodes += !stub;
    g.boxes[i] =
        QRectF(layout.x[i], layout.y[i] - sizes[i].height / 2, sizes[i].width, sizes[i].height);
    const int parent = filtered.input.parent[i];
    if (parent < 0) continue;
    const std::size_t p = static_cast<std::size_t>(parent);
    const QPointF from =
        ltr ? QPointF(layout.x[p] + sizes[p].width, layout.y[p])
            : QPointF(layout.x[p] + sizes[p].width / 2, layout.y[p] + sizes[p].height / 2);
    const QPointF to =
        ltr ? QPointF(layout.x[i], layout.y[i])
            : QPointF(layout.x[i] + sizes[i].width / 2, layout.y[i] - sizes[i].height / 2);
    Edge e;
    if (ltr) {
      const qreal mid = (from.x() + to.x()) / 2;
      e.path.moveTo(from);
      e.path.cubicTo(QPointF(mid, from.y()), QPointF(mid, to.y()), to);
    } else {
      const qreal mid = (from.y() + to.y()) / 2;
      e.path.moveTo(from);
      e.path.cubicTo(QPointF(from.x(), mid), QPointF(to.x(), mid), to);
    }
    e.line = QLineF(from, to);
    if (stub) {
      e.pen = kStubPen;
    } else {
      const TreeNode& node = tree.node(id);
      const double prob = std::clamp(std::exp(node.logprob), 0.0, 1.0);
      e.pen = (is_taken(node.status) ? kPenLevels + 1 : 0) +
              static_cast<int>(std::lround(prob * kPenLevels));
    }
    e.bounds = QRectF(from, to).normalized().adjusted(-4, -4, 4, 4);
    e.child = id;
    g.edges.push_back(std::move(e));
  }
  return g;
}

}  // namespace beamscope::ui
