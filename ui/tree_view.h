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
  // Where the legend overlay sits, in viewport coordinates.
  QRect legendGeometry() const;
  // Re-reads the scene's style (after a palette or presentation change).
  void refreshLegend();

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void scrollContentsBy(int dx, int dy) override;
  bool viewportEvent(QEvent* event) override;

 private:
  void onTreeLaidOut();
  void keepFollowing();
  void fitWhole();
  void onNodeSelected(int id);
  // Scrolls so that a node's box is not hidden under the legend overlay.
  void keepClearOfLegend(const QRectF& scene_rect);
  // Puts the legend in the viewport corner where it hides the fewest of the
  // nodes that matter (see autoFit); top left when that hides none.
  void placeLegend();
  QPoint legendPosition() const;
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
  // Which viewport corner holds the legend: 0 top left, 1 bottom left,
  // 2 top right, 3 bottom right.
  int legend_corner_ = 0;
};

}  // namespace beamscope::ui
