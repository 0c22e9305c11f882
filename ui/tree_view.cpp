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

// The legend sits in a strip of its own above the viewport (a viewport
// margin), wrapped into as many rows as the view's width needs: as an
// overlay in a corner it hid nodes whenever every corner held some (a wide
// tree on a laptop screen). A child widget of the view, not painted in
// drawForeground: with MinimalViewportUpdate a foreground overlay would be
// scrolled along with the scene and smear.
class LegendOverlay : public QWidget {
 public:
  LegendOverlay(TreeScene* scene, QWidget* parent) : QWidget(parent), scene_(scene) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_TranslucentBackground);
  }
  // Sizes the legend for rows at most `width` wide.
  void refresh(int width) {
    wrap_ = width;
    const QSizeF s =
        legend_size(scene_->treeStyle(), LegendOrientation::Horizontal, items(), wrap_);
    resize(static_cast<int>(std::ceil(s.width())) + 1, static_cast<int>(std::ceil(s.height())) + 1);
    update();
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    paint_legend(painter, QPointF(0, 0), scene_->treeStyle(), LegendOrientation::Horizontal,
                 items(), wrap_);
  }

 private:
  // Every look, worded for what the scene shows now (see TreeScene::isUndecided).
  LegendItems items() const {
    LegendItems all = LegendItems::all();
    all.undecided = scene_->isUndecided();
    return all;
  }

  TreeScene* scene_;
  int wrap_ = 0;
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
  legend_ = new LegendOverlay(scene_, this);
  layoutLegend();
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
}

void TreeView::keepFollowing() {
  if (follow_ != Follow::Off && scene_->maxStep() < scene_->treeDepth()) {
    followFrontier();  // playback: no zoom jumps between steps
    return;
  }
  if (follow_ == Follow::Whole) fitWhole();
  if (follow_ == Follow::Readable) autoFit();
}

void TreeView::setLegendVisible(bool visible) {
  legend_shown_ = visible;
  layoutLegend();
  keepFollowing();  // the tree's room changed
}
bool TreeView::isLegendVisible() const { return legend_shown_; }
QRect TreeView::legendGeometry() const { return legend_->geometry(); }
void TreeView::refreshLegend() {
  layoutLegend();
  keepFollowing();
}

void TreeView::layoutLegend() {
  constexpr int kPad = 4;
  legend_->setVisible(legend_shown_);
  if (!legend_shown_) {
    setViewportMargins(0, 0, 0, 0);
    return;
  }
  legend_->refresh(std::max(1, width() - 2 * kPad));
  legend_->move(kPad, kPad);
  const int strip = legend_->height() + 2 * kPad;
  if (viewportMargins().top() != strip) setViewportMargins(0, strip, 0, 0);
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
}

void TreeView::onTreeLaidOut() {
  placeHint();
  // A new layout repaints the whole viewport anyway (the items' boxes all
  // changed), so following it must not first scroll the old picture along:
  // MinimalViewportUpdate scrolls by blitting the whole backing store, a
  // tenth of a slider change on a ~2k-node tree. For this one move the view
  // marks itself for a full repaint instead, which is what it gets anyway.
  const ViewportUpdateMode mode = viewportUpdateMode();
  setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
  keepFollowing();
  setViewportUpdateMode(mode);
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

void TreeView::resizeEvent(QResizeEvent* event) {
  // A new width may wrap the legend into more or fewer rows: its strip, and
  // so the viewport, is sized before the view follows the tree.
  if (event->size().width() != event->oldSize().width()) layoutLegend();
  QGraphicsView::resizeEvent(event);
  placeHint();
  keepFollowing();
}

}  // namespace beamscope::ui
