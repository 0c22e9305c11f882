#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QDockWidget;
class QMainWindow;

namespace beamscope::ui {

// Presentation mode: full screen, larger text, and the tree alone on stage
// (the docks step aside; View menu / F9 brings the inspector back). Leaving
// it puts the window's docks back where they were.
class PresentationMode : public QObject {
  Q_OBJECT

 public:
  // How much larger fonts and tree boxes are while presenting.
  static constexpr double kScale = 1.5;

  // `docks` are hidden while presenting; all belong to `window`.
  PresentationMode(QMainWindow* window, QList<QDockWidget*> docks);

  bool isOn() const { return on_; }
  // kScale while presenting, 1 otherwise.
  double scale() const { return on_ ? kScale : 1.0; }
  void setOn(bool on);

 signals:
  // After the window changed: fonts and full screen are already applied.
  void toggled(bool on);

 private:
  QMainWindow* window_;
  QList<QDockWidget*> docks_;
  bool on_ = false;
  QByteArray normal_state_;  // dock layout to restore
};

}  // namespace beamscope::ui
