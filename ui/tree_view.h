#pragma once

#include <QGraphicsView>

class QLabel;

namespace beamscope::ui {

class TreeScene;
class LegendOverlay;

// The live tree on screen: wheel zooms about the cursor, dragging the
// background pans, arrows walk the tree (left = parent, right = child,
// up/down = siblings), +/- zoom. The view follows the tree (see Follow)
// until the user zooms or pans on their own; a new run follows again.
class TreeView : public QGraphicsView {
  Q_OBJECT

 public:
  // How the view keeps up with the tree after each layout and resize.
  enum class Follow {
    Readable,  // autoFit: the whole tree if readable, else the path that matters
    Whole,     // fitTree: always the whole tree, however small (View → Fit)
    Off,       // the user zoomed or panned: leave the viewport alone
  };

  explicit TreeView(TreeScene* scene, QWidget* parent = nullptr);

  TreeScene* treeScene() const { return scene_; }
  void zoomIn();
  void zoomOut();
  void zoomBy(double factor);
  void resetZoom();
  // Fits the whole tree, however small, and keeps fitting it as it grows or
  // the window resizes, until the user zooms or pans.
  void fitTree();
  // Following again for a new run (Readable, or Whole if Fit was chosen): a
  // zoom or pan of the last tree says nothing about where the next one is.
  void resumeFollowing();
  // What following does after each layout: the whole tree if it stays
  // readable, else a readable zoom centred on the highlighted path.
  void autoFit();
  double zoomFactor() const;
  // Playback (the scene shows steps up to k < its depth): the camera keeps
  // its zoom and glides to the frontier (the nodes of step k), so stepping
  // neither jumps in zoom nor loses the new tokens. Animated on a real screen
  // only; an offscreen (test, screenshot) view moves at once.
  void followFrontier();
  // Where the view is heading (its centre once a glide ends), scene units.
  QPointF cameraTarget() const { return camera_target_; }
  bool isFollowing() const { return follow_ != Follow::Off; }
  Follow follow() const { return follow_; }

  // One line in the middle of the empty canvas saying what to do first
  // (load a model, press Enter); hidden once a tree is shown.
  void setHint(const QString& text);
  QString hint() const;

  void setLegendVisible(bool visible);
  bool isLegendVisible() const;
  // Where the legend sits, in the view's own coordinates: in a strip above
  // the viewport, so it never covers a node.
  QRect legendGeometry() const;
  // Re-reads the scene's style (after a palette or presentation change).
  void refreshLegend();

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  bool viewportEvent(QEvent* event) override;

 private:
  void onTreeLaidOut();
  void keepFollowing();
  void fitWhole();
  void onNodeSelected(int id);
  // Sizes the legend for the view's width and gives it its strip above the
  // viewport (none while it is hidden).
  void layoutLegend();
  void walk(int direction);
  void placeHint();
  // What hovering a node shows: its token, probabilities, rank and status.
  QString nodeToolTip(int id) const;

  TreeScene* scene_;
  LegendOverlay* legend_;
  class QVariantAnimation* glide_ = nullptr;
  QPointF camera_target_;
  QLabel* hint_;
  Follow follow_ = Follow::Readable;
  // Where a left press on the background began (a pan only once it moves).
  QPoint press_pos_;
  bool background_press_ = false;
  // View > Show Legend (the widget's own visibility follows the view's).
  bool legend_shown_ = true;
};

}  // namespace beamscope::ui
