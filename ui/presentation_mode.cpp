#include "presentation_mode.h"

#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <utility>

namespace beamscope::ui {

PresentationMode::PresentationMode(QMainWindow* window, QList<QDockWidget*> docks)
    : QObject(window), window_(window), docks_(std::move(docks)) {}

void PresentationMode::setOn(bool on) {
  if (on_ == on) return;
  on_ = on;
  QFont font = QApplication::font();
  if (on) {
    normal_state_ = window_->saveState();
    for (QDockWidget* dock : docks_) dock->hide();
    font.setPointSizeF(font.pointSizeF() * kScale);
    window_->showFullScreen();
  } else {
    window_->restoreState(normal_state_);
    window_->showNormal();
  }
  window_->setFont(font);
  emit toggled(on);
}

}  // namespace beamscope::ui
