#include "tree_shape_menu.h"

#include <QAction>
#include <QActionGroup>
#include <QMenu>

#include "tree_scene.h"

namespace beamscope::ui {

TreeShapeMenu::TreeShapeMenu(TreeScene* scene, QMenu* menu)
    : QObject(menu), scene_(scene), filters_(new QActionGroup(this)) {
  QMenu* show = menu->addMenu(tr("S&how"));
  const std::pair<TreeFilter, QString> entries[] = {
      {TreeFilter::Everything, tr("&Everything")},
      {TreeFilter::Kept, tr("&Kept Beams Only")},
      {TreeFilter::Returned, tr("&Returned Paths Only")},
  };
  for (const auto& [filter, text] : entries) {
    QAction* action = show->addAction(text);
    action->setCheckable(true);
    action->setData(static_cast<int>(filter));
    filters_->addAction(action);
    connect(action, &QAction::triggered, this, [this, filter = filter] { setFilter(filter); });
  }
  show->addSeparator();
  show->addAction(tr("(+N stubs open and close with a click)"))->setEnabled(false);
  downwards_ = menu->addAction(tr("Tree Grows &Downwards"));
  downwards_->setCheckable(true);
  connect(downwards_, &QAction::toggled, this, [this](bool on) {
    scene_->setOrientation(on ? LayoutOrientation::TopToBottom : LayoutOrientation::LeftToRight);
  });
  connect(scene_, &TreeScene::treeLaidOut, this, &TreeShapeMenu::onTreeLaidOut);
  syncActions();
}

void TreeShapeMenu::onTreeLaidOut() {
  if (!presenting_ || refitting_ || viewport_.isEmpty()) return;
  if (scene_->tree().get() == fitted_tree_) return;
  fitted_tree_ = scene_->tree().get();
  refitting_ = true;
  scene_->fitOrientation(viewport_);
  refitting_ = false;
  syncActions();
}

void TreeShapeMenu::setFilter(TreeFilter filter) {
  scene_->setFilter(filter);
  syncActions();
}

void TreeShapeMenu::setPresenting(bool on, const QSizeF& viewport) {
  if (on == presenting_) return;
  presenting_ = on;
  if (on) {
    normal_filter_ = scene_->filter();
    normal_orientation_ = scene_->orientation();
    viewport_ = viewport;
    fitted_tree_ = scene_->tree().get();
    refitting_ = true;
    scene_->setFilter(TreeFilter::Kept);
    if (!viewport.isEmpty()) scene_->fitOrientation(viewport);
    refitting_ = false;
  } else {
    scene_->setFilter(normal_filter_);
    scene_->setOrientation(normal_orientation_);
  }
  syncActions();
}

void TreeShapeMenu::syncActions() {
  for (QAction* action : filters_->actions()) {
    action->setChecked(action->data().toInt() == static_cast<int>(scene_->filter()));
  }
  const QSignalBlocker quiet(downwards_);
  downwards_->setChecked(scene_->orientation() == LayoutOrientation::TopToBottom);
}

}  // namespace beamscope::ui
