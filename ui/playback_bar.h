#pragma once

#include <QWidget>

class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace beamscope::ui {

// Teaching playback over a finished tree: Back, Step, Play/Pause (with a
// speed control) and Reset show the nodes with step <= k, one step at a time.
// No engine is needed: the tree is already complete, the scene just hides the
// later steps.
class PlaybackBar : public QWidget {
  Q_OBJECT

 public:
  explicit PlaybackBar(QWidget* parent = nullptr);

  // A new tree of this depth arrived: show it whole.
  void setDepth(int depth);
  int depth() const { return depth_; }
  int step() const { return step_; }
  bool isPlaying() const;

  void stepForward();
  void stepBack();
  void reset();
  void togglePlay();
  // Milliseconds between steps while playing.
  int intervalMs() const;

 signals:
  void stepChanged(int step);

 private:
  void setStep(int step);
  void refresh();

  int depth_ = 0;
  int step_ = 0;
  QToolButton* back_;
  QToolButton* forward_;
  QToolButton* play_;
  QToolButton* reset_;
  QSlider* speed_;
  QLabel* label_;
  QTimer* timer_;
};

}  // namespace beamscope::ui
