#include "tree_view.h"

#include <QApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "legend_painter.h"
#include "token_display.h"
#include "tree_scene.h"
#include "tree_style.h"

namespace beamscope::ui {

// The legend as a child widget over the viewport rather than painted in
// drawForeground: with MinimalViewportUpdate a foreground overlay would be
// scrolled along with the scene and smear.
class LegendOverlay : public QWidget {
 public:
  LegendOverlay(TreeScene* scene, QWidget* parent) : QWidget(parent), scene_(scene) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_TranslucentBackground);
    refresh();
  }
  void refresh() {
    const QSizeF s = legend_size(scene_->treeStyle(), LegendOrientation::Vertical, items());
    resize(static_cast<int>(std::ceil(s.width())) + 1, static_cast<int>(std::ceil(s.height())) + 1);
    update();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    paint_legend(painter, QPointF(0, 0), scene_->treeStyle(), LegendOrientation::Vertical, items());
  }

 private:
  // Every look, worded for what the scene shows now (see TreeScene::isUndecided).
  LegendItems items() const {
    LegendItems all = LegendItems::all();
    all.undecided = scene_->isUndecided();
    return all;
  }

  TreeScene* scene_;
};

namespace {
constexpr double kZoomStep = 1.25;
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 8.0;
constexpr double kReadableZoom = 0.62;  // below this node text is hard to read
constexpr double kMaxAutoZoom = 1.6;    // never blow a tiny tree up past this
}  // namespace

TreeView::TreeView(TreeScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), scene_(scene) {
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  // Only repaint what changed: selection and highlight touch a few items.
  setViewportUpdateMode(QGraphicsView::MinimalViewportUpdate);
  setOptimizationFlag(QGraphicsView::DontAdjustForAntialiasing, true);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setResizeAnchor(QGraphicsView::AnchorViewCenter);
  setFocusPolicy(Qt::StrongFocus);
  setFrameShape(QFrame::NoFrame);
  legend_ = new LegendOverlay(scene_, viewport());
  legend_->move(legendPosition());
  connect(scene_, &TreeScene::undecidedChanged, this, &TreeView::refreshLegend);
  hint_ = new QLabel(viewport());
  hint_->setObjectName(QStringLiteral("canvas-hint"));
  hint_->setAlignment(Qt::AlignCenter);
  hint_->setWordWrap(true);
  hint_->setAttribute(Qt::WA_TransparentForMouseEvents);
  hint_->setForegroundRole(QPalette::PlaceholderText);
  QFont hint_font = hint_->font();
  hint_font.setPointSizeF(hint_font.pointSizeF() * 1.4);
  hint_->setFont(hint_font);
  hint_->hide();
  connect(scene_, &TreeScene::treeLaidOut, this, &TreeView::onTreeLaidOut);
  connect(scene_, &TreeScene::nodeSelected, this, &TreeView::onNodeSelected);
}

double TreeView::zoomFactor() const { return transform().m11(); }

void TreeView::zoomBy(double factor) {
  const double target = std::clamp(zoomFactor() * factor, kMinZoom, kMaxZoom);
  const double applied = target / zoomFactor();
  scale(applied, applied);
  follow_ = Follow::Off;
}

void TreeView::zoomIn() { zoomBy(kZoomStep); }
void TreeView::zoomOut() { zoomBy(1.0 / kZoomStep); }

void TreeView::resetZoom() {
  setTransform(QTransform());
  follow_ = Follow::Off;
}

void TreeView::fitTree() {
  follow_ = Follow::Whole;
  fitWhole();
}

void TreeView::resumeFollowing() {
  if (follow_ == Follow::Off) follow_ = Follow::Readable;  // a chosen Fit stays
}

void TreeView::fitWhole() {
  const QRectF rect = scene_->sceneRect();
  if (rect.isEmpty()) return;
  // The whole tree, however small: no readable floor here (that is autoFit's
  // job); only a tiny tree is not blown up past kMaxAutoZoom.
  // As if no scroll bars: once fitted, the tree needs none.
  const QSize port = maximumViewportSize();
  const double fit =
      std::min({port.width() / rect.width(), port.height() / rect.height(), kMaxAutoZoom});
  setTransform(QTransform::fromScale(fit, fit));
  centerOn(rect.center());
  placeLegend();
}

void TreeView::keepFollowing() {
  if (follow_ != Follow::Off && scene_->maxStep() < scene_->treeDepth()) {
    followFrontier();  // playback: no zoom jumps between steps
    return;
  }
  if (follow_ == Follow::Whole) fitWhole();
  if (follow_ == Follow::Readable) autoFit();
}

void TreeView::setLegendVisible(bool visible) { legend_->setVisible(visible); }
bool TreeView::isLegendVisible() const { return legend_->isVisible(); }
QRect TreeView::legendGeometry() const { return legend_->geometry(); }
void TreeView::refreshLegend() {
  legend_->refresh();
  legend_->move(legendPosition());  // a new size moves a right or bottom corner
}

void TreeView::autoFit() {
  const QRectF rect = scene_->sceneRect();
  if (rect.isEmpty()) return;
  const double sx = viewport()->width() / rect.width();
  const double sy = viewport()->height() / rect.height();
  const double fit = std::min({sx, sy, kMaxAutoZoom});
  if (fit >= kReadableZoom) {
    setTransform(QTransform::fromScale(fit, fit));
    centerOn(rect.center());
    placeLegend();
    return;
  }
  // The whole tree would be too small to read: stay readable, fit the width
  // if that is possible, and centre on the path that matters (the
  // highlighted result, else the inspected node).
  const double zoom = std::max(kReadableZoom, std::min(sx, kMaxAutoZoom));
  setTransform(QTransform::fromScale(zoom, zoom));
  const int focus =
      scene_->highlightedNode() >= 0 ? scene_->highlightedNode() : scene_->selectedNode();
  QPointF centre = rect.center();
  if (zoom > sx) {
    // Wider than the view: the tree grows rightwards from the prompt, so
    // keep the prompt (the left edge) in view rather than cutting it off.
    centre.setX(rect.left() + viewport()->width() / (2 * zoom));
  }
  if (focus >= 0 && scene_->isNodeVisible(focus)) {
    const QRectF node = scene_->nodeRect(focus);
    const QRectF root = scene_->nodeRect(0);
    centre.setY((node.center().y() + root.center().y()) / 2);
  }
  centerOn(centre);
  // The prompt, where every path starts, stays in view.
  ensureVisible(scene_->nodeRect(0), 16, 16);
  placeLegend();
  // Only if every corner hid something that matters: scroll the inspected
  // node, else the path's end, out from under the legend.
  const int selected = scene_->selectedNode();
  const int clear = selected >= 0 && scene_->isNodeVisible(selected) ? selected : focus;
  if (clear >= 0 && scene_->isNodeVisible(clear)) keepClearOfLegend(scene_->nodeRect(clear));
}

QPoint TreeView::legendPosition() const {
  constexpr int kMargin = 8;
  const QSize view = viewport()->size(), legend = legend_->size();
  const int right = std::max(kMargin, view.width() - legend.width() - kMargin);
  const int bottom = std::max(kMargin, view.height() - legend.height() - kMargin);
  return {legend_corner_ >= 2 ? right : kMargin, legend_corner_ % 2 ? bottom : kMargin};
}

void TreeView::placeLegend() {
  // What must stay readable: the prompt, the highlighted result's path and
  // the inspected node. The lecture's point is on that path, and with the
  // legend fixed at the top left the path's first steps often sat under it.
  // Among corners that hide none of those, the one hiding fewest other boxes.
  const auto& tree = scene_->tree();
  if (!tree || !legend_->isVisible()) return;
  std::vector<char> important(static_cast<std::size_t>(tree->size()), 0);
  important[0] = 1;
  if (scene_->highlightedNode() >= 0 && scene_->highlightedNode() < tree->size()) {
    for (int id : tree->path_nodes(scene_->highlightedNode())) {
      important[static_cast<std::size_t>(id)] = 1;
    }
  }
  if (scene_->selectedNode() >= 0 && scene_->selectedNode() < tree->size()) {
    important[static_cast<std::size_t>(scene_->selectedNode())] = 1;
  }
  const QRectF in_view = mapToScene(viewport()->rect()).boundingRect();
  std::vector<std::pair<QRect, bool>> boxes;  // visible node boxes in viewport coordinates
  for (int id = 0; id < tree->size(); ++id) {
    if (!scene_->isNodeVisible(id)) continue;
    const QRectF box = scene_->nodeRect(id);
    if (!box.intersects(in_view)) continue;
    boxes.emplace_back(mapFromScene(box).boundingRect(), important[static_cast<std::size_t>(id)]);
  }
  constexpr long kImportant = 1'000'000;  // one hidden path node outweighs any number of others
  int best = 0;
  long best_cost = std::numeric_limits<long>::max();
  for (int corner = 0; corner < 4; ++corner) {  // in order of preference
    legend_corner_ = corner;
    const QRect legend(legendPosition(), legend_->size());
    long cost = 0;
    for (const auto& [box, key] : boxes) {
      if (box.intersects(legend)) cost += key ? kImportant : 1;
    }
    if (cost < best_cost) {
      best = corner;
      best_cost = cost;
    }
    if (cost == 0) break;
  }
  legend_corner_ = best;
  legend_->move(legendPosition());
}

void TreeView::onTreeLaidOut() {
  placeHint();
  keepFollowing();
}

void TreeView::setHint(const QString& text) {
  hint_->setText(text);
  placeHint();
}

QString TreeView::hint() const { return hint_->isVisible() ? hint_->text() : QString(); }

void TreeView::placeHint() {
  const bool empty = !scene_->tree() || scene_->tree()->size() == 0;
  hint_->setVisible(empty && !hint_->text().isEmpty());
  const int width = std::max(200, viewport()->width() * 3 / 4);
  hint_->setFixedWidth(width);
  hint_->adjustSize();
  hint_->move((viewport()->width() - width) / 2, (viewport()->height() - hint_->height()) / 2);
}

void TreeView::onNodeSelected(int id) {
  const QRectF rect = scene_->nodeRect(id);
  if (rect.isEmpty()) return;
  ensureVisible(rect, 40, 40);
  keepClearOfLegend(rect);
}

void TreeView::keepClearOfLegend(const QRectF& scene_rect) {
  if (!legend_->isVisible()) return;
  const QRect node = mapFromScene(scene_rect).boundingRect();
  // A gap on the sides of the legend that face the rest of the view.
  constexpr int kGap = 12;
  const bool left = legend_corner_ < 2, top = legend_corner_ % 2 == 0;
  const QRect legend = legend_->geometry().adjusted(left ? 0 : -kGap, top ? 0 : -kGap,
                                                    left ? kGap : 0, top ? kGap : 0);
  if (!node.intersects(legend)) return;
  // Move the picture away from the legend's corner (right for a legend on
  // the left, left for one on the right; down or up likewise) until the box
  // sits beside it, whichever the scroll range allows and moves less.
  // Scroll values grow as the picture moves left or up.
  const int dx = left ? node.left() - legend.right() : node.right() - legend.left();
  const int dy = top ? node.top() - legend.bottom() : node.bottom() - legend.top();
  QScrollBar* h = horizontalScrollBar();
  QScrollBar* v = verticalScrollBar();
  auto can = [](const QScrollBar* bar, int by) {
    return bar->value() + by >= bar->minimum() && bar->value() + by <= bar->maximum();
  };
  if (can(h, dx) && (!can(v, dy) || std::abs(dx) <= std::abs(dy))) {
    h->setValue(h->value() + dx);
  } else if (can(v, dy)) {
    v->setValue(v->value() + dy);
  }
}

void TreeView::walk(int direction) {
  int current = scene_->selectedNode();
  if (current < 0) {
    scene_->pickNode(0);
    return;
  }
  const int next = scene_->neighbour(current, static_cast<TreeDirection>(direction));
  if (next >= 0) scene_->pickNode(next);
}

void TreeView::keyPressEvent(QKeyEvent* event) {
  // Any key skips a motion to its end (Escape does nothing else).
  scene_->finishMotion();
  switch (event->key()) {
    case Qt::Key_Left:
      walk(static_cast<int>(TreeDirection::Parent));
      return;
    case Qt::Key_Right:
      walk(static_cast<int>(TreeDirection::FirstChild));
      return;
    case Qt::Key_Up:
      walk(static_cast<int>(TreeDirection::PreviousSibling));
      return;
    case Qt::Key_Down:
      walk(static_cast<int>(TreeDirection::NextSibling));
      return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      zoomIn();
      return;
    case Qt::Key_Minus:
      zoomOut();
      return;
    case Qt::Key_Enter:
    case Qt::Key_Return:
      if (scene_->selectedNode() >= 0) emit scene_->nodeActivated(scene_->selectedNode());
      return;
    default:
      QGraphicsView::keyPressEvent(event);
  }
}

void TreeView::wheelEvent(QWheelEvent* event) {
  // Wheel zooms about the cursor (a map-like feel); Shift+wheel scrolls.
  scene_->finishMotion();
  if (event->modifiers() & Qt::ShiftModifier) {
    QGraphicsView::wheelEvent(event);
    follow_ = Follow::Off;
    return;
  }
  const double steps = event->angleDelta().y() / 120.0;
  if (steps != 0) zoomBy(std::pow(1.15, steps));
  event->accept();
}

void TreeView::mousePressEvent(QMouseEvent* event) {
  // A press on the background may start a hand pan; only a real drag (see
  // mouseMoveEvent) says the user wants to stay where they are. A plain
  // click must not switch following off. A click lands where the nodes
  // are going: a motion skips to its end first.
  scene_->finishMotion();
  background_press_ =
      event->button() == Qt::LeftButton && scene_->nodeAt(mapToScene(event->pos())) < 0;
  press_pos_ = event->pos();
  QGraphicsView::mousePressEvent(event);
}

void TreeView::mouseMoveEvent(QMouseEvent* event) {
  if (background_press_ && (event->buttons() & Qt::LeftButton) &&
      (event->pos() - press_pos_).manhattanLength() >= QApplication::startDragDistance()) {
    follow_ = Follow::Off;  // panning: stop fitting the growing tree
    background_press_ = false;
  }
  QGraphicsView::mouseMoveEvent(event);
}

QString TreeView::nodeToolTip(int id) const {
  const auto& tree = scene_->tree();
  if (!tree || id < 0 || id >= tree->size()) return {};
  const TreeNode& n = tree->node(id);
  if (n.parent < 0) return tr("<b>Prompt</b>: %1").arg(scene_->promptText().toHtmlEscaped());
  return tr("<b>%1</b> at step %2 — %3<br>p %4 (log %5) · rank %6 · path p %7")
      .arg(visible_token_text(n.text).toHtmlEscaped())
      .arg(n.step)
      .arg(scene_->isUndecided() && shown_status(n.status, true) == NodeStatus::Finished
               ? undecided_finished_label()
               : status_label(n.status))
      .arg(format_probability(std::exp(n.logprob)), format_logprob(n.logprob))
      .arg(n.rank + 1)
      .arg(format_probability(n.cum_prob));
}

bool TreeView::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    const auto* help = static_cast<QHelpEvent*>(event);
    const int id = scene_->nodeAt(mapToScene(help->pos()));
    if (id < 0) {
      QToolTip::hideText();
    } else {
      QToolTip::showText(help->globalPos(), nodeToolTip(id), viewport(),
                         mapFromScene(scene_->nodeRect(id)).boundingRect());
    }
    return true;
  }
  return QGraphicsView::viewportEvent(event);
}

void TreeView::scrollContentsBy(int dx, int dy) {
  QGraphicsView::scrollContentsBy(dx, dy);
  // Scrolling moves the viewport's child widgets too; the legend stays put.
  legend_->move(legendPosition());
}

void TreeView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  legend_->move(legendPosition());
  placeHint();
  keepFollowing();
}

}  // namespace beamscope::ui
