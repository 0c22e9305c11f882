// TreeView's camera during playback (declared in tree_view.h; its own file
// keeps tree_view.cpp about input and fitting).
#include <QGuiApplication>
#include <QVariantAnimation>

#include "tree_scene.h"
#include "tree_view.h"

namespace beamscope::ui {

namespace {
constexpr int kGlideMs = 260;  // short: a lecturer stepping fast never waits
}

void TreeView::followFrontier() {
  const auto& tree = scene_->tree();
  if (!tree) return;
  const int step = scene_->maxStep();
  QRectF frontier;
  for (int id = 0; id < tree->size(); ++id) {
    if (tree->node(id).step == step && scene_->isNodeVisible(id)) {
      frontier = frontier.united(scene_->nodeRect(id));
    }
  }
  if (frontier.isEmpty()) frontier = scene_->nodeRect(0);
  if (frontier.isEmpty()) return;
  // The zoom stays; the centre moves so the frontier sits in the middle
  // (across the tree's growth: the newest tokens and their parents show).
  camera_target_ = frontier.center();
  const QPointF from = mapToScene(viewport()->rect().center());
  if (!glide_) {
    glide_ = new QVariantAnimation(this);
    glide_->setDuration(kGlideMs);
    glide_->setEasingCurve(QEasingCurve::InOutCubic);
    connect(glide_, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
      if (follow_ == Follow::Off) {  // the user took the camera
        glide_->stop();
        return;
      }
      centerOn(v.toPointF());
    });
  }
  glide_->stop();
  if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
    centerOn(camera_target_);
    return;
  }
  glide_->setStartValue(from);
  glide_->setEndValue(camera_target_);
  glide_->start();
}

}  // namespace beamscope::ui
