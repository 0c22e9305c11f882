#pragma once

#include <QMainWindow>
#include <QTimer>
#include <optional>

#include "decoding_types.h"
#include "remote/remote_server.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QAction;
class QDockWidget;

namespace beamscope::ui {

class ControlsPanel;
class DecodingService;
class CompactDocks;
class EditHistory;
class ExportController;
class InspectorWidget;
class MessageBar;
class ModelPicker;
class PlaybackBar;
class PresentationMode;
class RequestProgress;
class TreeShapeMenu;
class ResultsPanel;
class SessionController;
class TreeScene;
class TreeView;

// The application window: prompt and model on top, controls on the left, the
// live tree in the middle with playback under it, the inspector on the right
// and the returned sequences below. It composes and wires the pieces and owns
// no logic of its own: runs go to the DecodingService, drawing to the
// TreeScene, the document and its file to the SessionController, export to
// the ExportController, the model folder to the ModelPicker. Layout and
// menus are built in main_window_layout.cpp.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Shown in the status bar when there is nothing to draw yet.
  void showPlaceholder(const QString& message);
  QString placeholderText() const;

  void loadModel(const QString& folder);
  // A model on a server (File › Connect to Server…); the key stays in memory.
  void connectServer(const beamscope::remote::RemoteOptions& options, const QString& tokenizer_dir);
  void run();
  void cancel();
  // "What if": force the token of (not taken) node `node` and decode on.
  void forceAlternative(int node);
  // Removes a forced branch again (the node and everything below it).
  void removeBranch(int node);
  // Throw nothing: errors are shown to the user and returned as false.
  bool exportTo(const QString& path, double png_scale = 2.0);
  bool saveSessionTo(const QString& path);
  bool openSessionFrom(const QString& path);
  void setPresentationMode(bool on);
  bool isPresentationMode() const;
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
  SessionController* session() const { return session_; }
  ExportController* exporter() const { return exporter_; }
  ModelPicker* modelPicker() const { return model_picker_; }
  PresentationMode* presentation() const { return presentation_; }
  CompactDocks* compactDocks() const { return compact_docks_; }
  EditHistory* history() const { return history_; }
  RequestProgress* requestProgress() const { return request_progress_; }
  QLabel* runLabel() const { return run_label_; }
  const TreeSnapshot& tree() const;
  const DecodeOutcome& lastOutcome() const;
  QString lastError() const { return last_error_; }
  // Whether a run was asked for (by the user or at the first model load).
  bool hasRun() const { return has_run_; }
  // Run the prompt as soon as the first model is loaded, so the first
  // launch shows a tree rather than an empty canvas. The app turns it on
  // (run_window); tests that drive runs themselves leave it off.
  void setRunOnFirstModel(bool on) { run_on_first_model_ = on; }

 signals:
  void modelReady();
  void runFinished();
  void runFailed(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  // main_window_layout.cpp
  void buildLayout();
  void buildMenus();
  QDockWidget* addDock(const QString& title, const QString& name, QWidget* content,
                       Qt::DockWidgetArea area);

  void connectParts();
  void restoreSettings();
  void saveSettings();
  void showTree(const TreeSnapshot& tree, const QString& prompt);
  void onOutcome(const DecodeOutcome& outcome);
  // An edited run (a removed branch, an undo or redo) on screen.
  void showEdited(const DecodeOutcome& outcome);
  void updateRunLabel(const DecodeOutcome& outcome);
  // A finished "what if" becomes one undoable step.
  void recordWhatIf(const DecodeOutcome& outcome);
  void onOpened(const DecodeOutcome& outcome);
  void onModelLoaded(const ModelInfo& model, qint64 load_ms);
  void onModelFailed(const QString& message);
  void onParamsChanged();
  void onNodeSelected(int node);
  void onNodeContextMenu(int node, const QPoint& screen_pos);
  void onPresentationToggled(bool on);
  void showError(const QString& message);   // message bar; never modal
  void showStatus(const QString& message);  // status bar, a few seconds
  void refreshStyle();
  void updateRunState();
  static QString noModelHint();

  DecodingService* service_;
  SessionController* session_;
  TreeScene* scene_;
  TreeView* view_;
  ExportController* exporter_;
  ModelPicker* model_picker_;
  PresentationMode* presentation_ = nullptr;
  TreeShapeMenu* tree_shape_ = nullptr;  // View › Show, Tree Grows Downwards
  EditHistory* history_ = nullptr;
  ControlsPanel* controls_;
  InspectorWidget* inspector_;
  ResultsPanel* results_;
  PlaybackBar* playback_;
  CompactDocks* compact_docks_ = nullptr;
  RequestProgress* request_progress_ = nullptr;
  MessageBar* message_bar_;
  QLineEdit* prompt_ = nullptr;
  QLabel* model_label_ = nullptr;
  QLabel* run_label_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QDockWidget* controls_dock_ = nullptr;
  QDockWidget* inspector_dock_ = nullptr;
  QDockWidget* results_dock_ = nullptr;
  QAction* run_action_ = nullptr;
  QAction* cancel_action_ = nullptr;
  QAction* log_mode_action_ = nullptr;
  QAction* legend_action_ = nullptr;
  bool legend_before_presenting_ = true;  // View > Show Legend before presentation mode
  QAction* presentation_action_ = nullptr;
  QTimer rerun_timer_;  // debounces slider moves (~30 ms), the latest wins

  QString placeholder_;
  QString last_error_;
  bool has_run_ = false;
  bool run_on_first_model_ = false;
  // The user picked the highlighted path (a result or "Highlight the path to
  // here"); otherwise the highlight is the winner of the tree on screen.
  bool user_highlight_ = false;
  // A "what if" is decoding: what was on screen before it and its menu text.
  std::optional<DecodeOutcome> what_if_before_;
  QString what_if_text_;
  int node_cap_ = DecodeParams::kDefaultMaxNodes;
};

}  // namespace beamscope::ui
