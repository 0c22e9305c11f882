#pragma once

#include <QMainWindow>
#include <QTimer>

#include "decoding_types.h"

class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QAction;
class QComboBox;
class QDockWidget;

namespace beamscope::ui {

class ControlsPanel;
class DecodingService;
class InspectorWidget;
class MessageBar;
class PlaybackBar;
class ResultsPanel;
class TreeScene;
class TreeView;

// The application window: prompt and model on top, controls on the left, the
// live tree in the middle with playback under it, the inspector on the right
// and the returned sequences below. It wires the pieces together and owns no
// decoding logic: runs go to the DecodingService, drawing to the TreeScene.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Shown in the status bar when there is nothing to draw yet.
  void showPlaceholder(const QString& message);
  QString placeholderText() const;

  void loadModel(const QString& folder);
  void run();
  void cancel();
  // "What if": force the token of (not taken) node `node` and decode on.
  void forceAlternative(int node);
  // Removes a forced branch again (the node and everything below it).
  void removeBranch(int node);
  // Throws nothing: errors are shown to the user and returned as false.
  bool exportTo(const QString& path, double png_scale = 2.0);
  bool saveSessionTo(const QString& path);
  bool openSessionFrom(const QString& path);
  void setPresentationMode(bool on);
  bool isPresentationMode() const { return presentation_; }
  // The most nodes a run may grow (DecodeParams::max_nodes); runs that reach
  // it stop and say so in the message bar.
  void setNodeCap(int max_nodes) { node_cap_ = max_nodes; }
  int nodeCap() const { return node_cap_; }

  QLineEdit* promptEdit() const { return prompt_; }
  ControlsPanel* controls() const { return controls_; }
  TreeScene* scene() const { return scene_; }
  TreeView* view() const { return view_; }
  InspectorWidget* inspector() const { return inspector_; }
  ResultsPanel* results() const { return results_; }
  PlaybackBar* playback() const { return playback_; }
  MessageBar* messageBar() const { return message_bar_; }
  DecodingService* service() const { return service_; }
  const TreeSnapshot& tree() const { return tree_; }
  const DecodeOutcome& lastOutcome() const { return last_; }
  QString lastError() const { return last_error_; }

 signals:
  void modelReady();
  void runFinished();
  void runFailed(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void buildActions();
  void buildLayout();
  void showTree(const TreeSnapshot& tree, const QString& prompt);
  void onOutcome(const DecodeOutcome& outcome);
  void onParamsChanged();
  void onNodeSelected(int node);
  void onNodeContextMenu(int node, const QPoint& screen_pos);
  void showError(const QString& message);  // message bar; never modal
  QString modelText(const ModelSummary& m) const;
  void refreshRecentMenu();  // menu and toolbar chooser
  void refreshStyle();
  void updateRunState();
  void openModelDialog();
  void exportDialog();
  void saveSessionDialog();
  void openSessionDialog();

  DecodingService* service_;
  TreeScene* scene_;
  TreeView* view_;
  ControlsPanel* controls_;
  InspectorWidget* inspector_;
  ResultsPanel* results_;
  PlaybackBar* playback_;
  MessageBar* message_bar_;
  QLineEdit* prompt_;
  QLabel* model_label_;
  QComboBox* model_box_;  // toolbar chooser: recent models + Open Model Folder…
  QLabel* run_label_;
  QProgressBar* progress_;
  QDockWidget* controls_dock_;
  QDockWidget* inspector_dock_;
  QDockWidget* results_dock_;
  QMenu* recent_menu_;
  QAction* run_action_;
  QAction* cancel_action_;
  QAction* log_mode_action_;
  QAction* legend_action_;
  QAction* presentation_action_;
  QTimer rerun_timer_;  // debounces slider moves (~30 ms), the latest wins

  TreeSnapshot tree_;
  DecodeOutcome last_;  // the run the tree came from (params, prompt ids)
  QString shown_prompt_;
  QString placeholder_;
  QString last_error_;
  bool has_run_ = false;
  bool presentation_ = false;
  int node_cap_ = DecodeParams::kDefaultMaxNodes;
  QByteArray normal_state_;
};

}  // namespace beamscope::ui
