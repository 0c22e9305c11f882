#pragma once

#include <QObject>

class QDockWidget;
class QMainWindow;

namespace beamscope::ui {

// Bug 8 (issue 17): on a laptop screen (1366×768, or 2× scaling) the decoding
// controls on the left and the inspector on the right left the tree a third
// of the window. Below `threshold` logical pixels of window width the two
// docks share the left column as tabs, so the canvas keeps most of the
// window; wider again, the inspector goes back to the right. Docks the user
// floated are left where they are.
class CompactDocks : public QObject {
  Q_OBJECT

 public:
  static constexpr int kThreshold = 1500;
  CompactDocks(QMainWindow* window, QDockWidget* controls, QDockWidget* inspector);

  bool isCompact() const;
  // Arranges the docks for a window this wide.
  void apply(int window_width);
  // Brings the inspector's tab to the front (a node was selected).
  void showInspector();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QMainWindow* window_;
  QDockWidget* controls_;
  QDockWidget* inspector_;
};

}  // namespace beamscope::ui
