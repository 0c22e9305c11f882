#pragma once

#include <QMainWindow>

class QLabel;

namespace beamscope::ui {

// The application window: prompt, controls, the live tree, inspector.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Shown in the central area when there is nothing to draw yet.
  void showPlaceholder(const QString& message);
  QString placeholderText() const;

 private:
  QLabel* placeholder_ = nullptr;
};

}  // namespace beamscope::ui
