#include "compact_docks.h"

#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>

namespace beamscope::ui {

CompactDocks::CompactDocks(QMainWindow* window, QDockWidget* controls, QDockWidget* inspector)
    : QObject(window), window_(window), controls_(controls), inspector_(inspector) {
  window_->installEventFilter(this);
}

bool CompactDocks::isCompact() const {
  // Read off the window (a restored layout may have changed it), not kept.
  return window_->tabifiedDockWidgets(controls_).contains(inspector_);
}

void CompactDocks::apply(int window_width) {
  const bool compact = window_width < kThreshold;
  // Floated docks stay where the user put them; hidden ones (presentation
  // mode, View menu) are not brought back by a resize.
  if (compact == isCompact() || controls_->isFloating() || inspector_->isFloating() ||
      controls_->isHidden() || inspector_->isHidden()) {
    return;
  }
  if (compact) {
    window_->tabifyDockWidget(controls_, inspector_);
    controls_->raise();  // the controls first: a run starts there
  } else {
    window_->addDockWidget(Qt::RightDockWidgetArea, inspector_);
  }
}

void CompactDocks::showInspector() {
  if (isCompact() && inspector_->isVisible()) inspector_->raise();
}

bool CompactDocks::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_ && event->type() == QEvent::Resize) apply(window_->width());
  return QObject::eventFilter(watched, event);
}

}  // namespace beamscope::ui
