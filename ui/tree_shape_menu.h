#pragma once

#include <QObject>
#include <QSizeF>

#include "layout/tree_filter.h"
#include "layout/tree_layout.h"

class QAction;
class QActionGroup;
class QMenu;

namespace beamscope::ui {

class TreeScene;

// View › Show (everything / kept beams only / returned paths only) and
// View › Tree Grows Downwards, bound to the scene; presentation mode folds
// the tree to its kept beams and turns it the way that fits the screen,
// and puts both back afterwards.
class TreeShapeMenu : public QObject {
  Q_OBJECT

 public:
  // Adds the entries to `menu`; `scene` outlives this object.
  TreeShapeMenu(TreeScene* scene, QMenu* menu);

  void setFilter(TreeFilter filter);
  // On: the kept beams, laid out to fill `viewport`. Off: as before.
  void setPresenting(bool on, const QSizeF& viewport);

 private:
  void syncActions();
  // A new tree while presenting is turned to fit too (not its playback
  // steps, which keep the orientation the complete tree chose).
  void onTreeLaidOut();

  TreeScene* scene_;
  QActionGroup* filters_;
  QAction* downwards_;
  bool presenting_ = false;
  bool refitting_ = false;
  QSizeF viewport_;
  const void* fitted_tree_ = nullptr;  // the snapshot the orientation was chosen for
  TreeFilter normal_filter_ = TreeFilter::Everything;
  LayoutOrientation normal_orientation_ = LayoutOrientation::LeftToRight;
};

}  // namespace beamscope::ui
