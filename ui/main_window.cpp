#include "main_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QSignalBlocker>
#include <QStatusBar>

#include "compact_docks.h"
#include "controls_panel.h"
#include "decoding/decode_param_spec.h"
#include "decoding/decoder.h"
#include "decoding_service.h"
#include "drop_opener.h"
#include "edit_history.h"
#include "export_controller.h"
#include "inspector_widget.h"
#include "message_bar.h"
#include "model_picker.h"
#include "playback_bar.h"
#include "presentation_mode.h"
#include "remote/remote_loader.h"
#include "request_progress.h"
#include "results_panel.h"
#include "session_controller.h"
#include "settings_store.h"
#include "start_model.h"
#include "token_display.h"
#include "toolbar_icons.h"
#include "tree_scene.h"
#include "tree_shape_menu.h"
#include "tree_view.h"

// Q_INIT_RESOURCE cannot sit inside a namespace; the .qrc is compiled into the
// static beamscope_ui library, so it must be registered by hand.
static void init_beamscope_resources() { Q_INIT_RESOURCE(beamscope); }

namespace beamscope::ui {

namespace {
constexpr int kRerunDebounceMs = 30;
constexpr int kStatusMs = 5000;
const char* const kDefaultPrompt = "The cat sat on the";

// Index of the first UTF-16 surrogate without its partner, or -1.
qsizetype lone_surrogate_at(const QString& text) {
  for (qsizetype i = 0; i < text.size(); ++i) {
    const QChar c = text.at(i);
    if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
      ++i;
    } else if (c.isSurrogate()) {
      return i;
    }
  }
  return -1;
}

// What `beamscope-cli info` prints, in one line.
QString describe_model(const ModelInfo& m) {
  return MainWindow::tr("%1 · %2 %3 · %4M parameters · vocab %5 · context %6")
      .arg(QFileInfo(QString::fromStdString(m.path)).fileName(),
           QString::fromStdString(m.architecture), QString::fromStdString(m.dtype))
      .arg(double(m.parameter_count) / 1e6, 0, 'f', 1)
      .arg(m.vocab_size)
      .arg(m.context_length);
}
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  init_beamscope_resources();
  setWindowTitle(tr("Beamscope"));
  setWindowIcon(QIcon(QStringLiteral(":/beamscope/icons/beamscope.svg")));
  resize(1440, 900);

  service_ = new DecodingService(this);
  session_ = new SessionController(service_, this);
  scene_ = new TreeScene(this);
  // Nodes glide to their new places on a real screen; offscreen (tests,
  // screenshots) every layout is final at once, as in exports.
  scene_->setAnimated(QGuiApplication::platformName() != QLatin1String("offscreen"));
  view_ = new TreeView(scene_, this);
  exporter_ = new ExportController(session_, scene_, view_, this);
  // A session file, a model folder or a .gguf dropped anywhere opens it.
  auto* drops = new DropOpener([this](const QString& path) { session_->openFrom(path); },
                               [this](const QString& path) { loadModel(path); }, this);
  drops->watch(this);
  drops->watch(view_->viewport());
  model_picker_ = new ModelPicker(service_, this);
  controls_ = new ControlsPanel(this);
  inspector_ = new InspectorWidget(this);
  results_ = new ResultsPanel(this);
  playback_ = new PlaybackBar(this);
  message_bar_ = new MessageBar(this);
  buildLayout();
  presentation_ = new PresentationMode(this, {controls_dock_, results_dock_, inspector_dock_});
  compact_docks_ = new CompactDocks(this, controls_dock_, inspector_dock_);
  request_progress_ = new RequestProgress(service_, progress_, this);
  history_ = new EditHistory([this](const DecodeOutcome& o) { showEdited(o); }, this);
  buildMenus();
  refreshStyle();

  rerun_timer_.setSingleShot(true);
  rerun_timer_.setInterval(kRerunDebounceMs);
  connectParts();
  restoreSettings();
  model_picker_->refresh();
  updateRunState();
  view_->setHint(noModelHint());
}

QString MainWindow::noModelHint() {
  return tr("No model yet: File → Open Model Folder… (Ctrl+O), or File → Use the Bundled Model.");
}

MainWindow::~MainWindow() = default;

void MainWindow::connectParts() {
  connect(&rerun_timer_, &QTimer::timeout, this, &MainWindow::run);
  connect(prompt_, &QLineEdit::returnPressed, this, &MainWindow::run);
  connect(controls_, &ControlsPanel::paramsChanged, this, &MainWindow::onParamsChanged);
  connect(scene_, &TreeScene::nodeSelected, this, &MainWindow::onNodeSelected);
  // On a laptop screen the inspector's tab comes forward for a node the user
  // picked, not for one a new run selected (the controls' tab stays first).
  connect(scene_, &TreeScene::nodePicked, compact_docks_, &CompactDocks::showInspector);
  connect(scene_, &TreeScene::nodeActivated, this, &MainWindow::forceAlternative);
  connect(scene_, &TreeScene::nodeContextMenuRequested, this, &MainWindow::onNodeContextMenu);
  connect(inspector_, &InspectorWidget::nodeRequested, scene_, &TreeScene::pickNode);
  connect(results_, &ResultsPanel::sequenceClicked, this, [this](int node) {
    user_highlight_ = true;
    scene_->setHighlightedNode(node);
    scene_->pickNode(node);
  });
  connect(playback_, &PlaybackBar::stepChanged, scene_, &TreeScene::setMaxStep);
  connect(playback_, &PlaybackBar::stepChanged, results_, &ResultsPanel::setRevealStep);
  connect(presentation_, &PresentationMode::toggled, this, &MainWindow::onPresentationToggled);
  connect(model_picker_, &ModelPicker::modelRequested, this, &MainWindow::loadModel);

  connect(session_, &SessionController::opened, this, &MainWindow::onOpened);
  connect(session_, &SessionController::notice, this, [this](const QString& message) {
    message_bar_->showMessage(message, MessageBar::Kind::Notice);
  });
  connect(session_, &SessionController::failed, this, &MainWindow::showError);
  connect(session_, &SessionController::status, this, &MainWindow::showStatus);
  connect(exporter_, &ExportController::failed, this, &MainWindow::showError);
  connect(exporter_, &ExportController::status, this, &MainWindow::showStatus);

  connect(service_, &DecodingService::modelProgress, this,
          [this](double fraction, const QString& what) {
            progress_->setVisible(true);
            progress_->setValue(static_cast<int>(fraction * 100));
            statusBar()->showMessage(tr("Loading model: %1").arg(what));
          });
  connect(service_, &DecodingService::modelLoaded, this, &MainWindow::onModelLoaded);
  connect(service_, &DecodingService::modelFailed, this, &MainWindow::onModelFailed);
  connect(service_, &DecodingService::treeProgress, this, &MainWindow::onOutcome);
  connect(service_, &DecodingService::decodeFinished, this, &MainWindow::onOutcome);
  connect(service_, &DecodingService::decodeFailed, this, [this](const QString& message) {
    showError(message);
    emit runFailed(message);
  });
  connect(service_, &DecodingService::busyChanged, this, &MainWindow::updateRunState);
}

// The last session's prompt, parameters and window (first-run values the
// first time).
void MainWindow::restoreSettings() {
  prompt_->setText(settings::prompt(QString::fromLatin1(kDefaultPrompt)));
  controls_->setParams(settings::params(first_run_params()));
  const int preset = settings::preset();
  if (preset >= int(StrategyPreset::Greedy) && preset <= int(StrategyPreset::Custom)) {
    controls_->setPreset(static_cast<StrategyPreset>(preset));
  }
  restoreGeometry(settings::windowGeometry());
  restoreState(settings::windowState());
  log_mode_action_->setChecked(settings::logProbView());
}

void MainWindow::saveSettings() {
  settings::setPrompt(prompt_->text());
  settings::setParams(controls_->controlValues());
  settings::setPreset(static_cast<int>(controls_->preset()));
}

void MainWindow::showPlaceholder(const QString& message) {
  placeholder_ = message;
  statusBar()->showMessage(message);
  view_->setHint(message);
}

QString MainWindow::placeholderText() const { return placeholder_; }

const TreeSnapshot& MainWindow::tree() const { return session_->tree(); }
const DecodeOutcome& MainWindow::lastOutcome() const { return session_->current(); }
bool MainWindow::exportTo(const QString& path, double png_scale) {
  return exporter_->exportTo(path, png_scale);
}
bool MainWindow::saveSessionTo(const QString& path) { return session_->saveTo(path); }
bool MainWindow::openSessionFrom(const QString& path) { return session_->openFrom(path); }
bool MainWindow::isPresentationMode() const { return presentation_->isOn(); }
void MainWindow::setPresentationMode(bool on) { presentation_->setOn(on); }

void MainWindow::loadModel(const QString& folder) {
  model_label_->setText(tr("Loading %1…").arg(model_display_name(folder)));
  view_->setHint(tr("Loading the model…"));
  progress_->setValue(0);
  progress_->setVisible(true);
  service_->loadModel(folder);
}

void MainWindow::connectServer(const remote::RemoteOptions& options, const QString& tokenizer_dir) {
  model_label_->setText(tr("Connecting to %1…").arg(QString::fromStdString(options.url)));
  view_->setHint(tr("Connecting to the server…"));
  progress_->setValue(0);
  progress_->setVisible(true);
  service_->connectServer(options, tokenizer_dir);
}

void MainWindow::onModelLoaded(const ModelInfo& m, qint64 load_ms) {
  progress_->setVisible(false);
  model_label_->setText(describe_model(m));
  QStringList files;  // the tooltip lists every file read
  for (const std::string& f : m.files) files << QString::fromStdString(f);
  model_label_->setToolTip(files.join('\n'));
  message_bar_->clearMessage();
  // A server is not a folder the picker could open again.
  if (!remote::is_server_address(m.path))
    model_picker_->rememberLoaded(QString::fromStdString(m.path));
  statusBar()->showMessage(tr("Model loaded in %1 ms.").arg(load_ms), 4000);
  updateRunState();
  view_->setHint(tr("Type a prompt above and press Enter (or F5) to grow its tree."));
  // First launch: show a tree at once rather than an empty canvas (the
  // default prompt on the bundled model takes a blink).
  if (run_on_first_model_ && !has_run_ && !session_->tree() &&
      !prompt_->text().trimmed().isEmpty()) {
    run();
  }
  emit modelReady();
}

void MainWindow::onModelFailed(const QString& message) {
  progress_->setVisible(false);
  // A failed load leaves the previous model in place and usable.
  model_label_->setText(service_->hasModel() ? describe_model(service_->model()) : tr("No model"));
  model_picker_->refresh();  // the chooser points at the model in use again
  updateRunState();
  if (!service_->hasModel()) view_->setHint(noModelHint());
  showError(message);
}

void MainWindow::run() {
  rerun_timer_.stop();
  // A lone surrogate (a broken paste) has no UTF-8 form: Qt would quietly
  // send '?' and the tree would be for a prompt nobody typed.
  if (const qsizetype bad = lone_surrogate_at(prompt_->text()); bad >= 0) {
    showError(tr("The prompt has a broken character at position %1 (half of a UTF-16 "
                 "surrogate pair, often from a bad paste); delete it and run again.")
                  .arg(bad + 1));
    emit runFailed(last_error_);
    return;
  }
  DecodeParams params = controls_->params();
  params.max_nodes = node_cap_;
  saveSettings();
  last_error_.clear();
  has_run_ = true;
  history_->clear();  // edits of the last tree cannot be undone into a new one
  what_if_before_.reset();
  user_highlight_ = false;
  view_->resumeFollowing();  // a zoom or pan of the last tree is no place for a new one
  service_->decode(prompt_->text(), params);
}

void MainWindow::cancel() { service_->cancel(); }

void MainWindow::onParamsChanged() {
  // Moving a slider redraws at once: re-run (cheap — the logits cache serves
  // every prefix already seen), debounced so a drag sends the latest value.
  if (has_run_ && service_->hasModel()) rerun_timer_.start();
}

void MainWindow::onOutcome(const DecodeOutcome& outcome) {
  // A live snapshot: beam search has not chosen its answers yet.
  scene_->setLive(!outcome.finished);
  session_->setCurrent(outcome);
  showTree(outcome.tree, outcome.prompt_text);
  updateRunLabel(outcome);
  if (outcome.finished) {
    if (outcome.capped) {
      message_bar_->showMessage(QString::fromStdString(node_cap_message(outcome.params.max_nodes)),
                                MessageBar::Kind::Notice);
    } else {
      message_bar_->clearMessage();  // a run went through: earlier refusals are moot
    }
    recordWhatIf(outcome);
    emit runFinished();
  }
}

void MainWindow::updateRunLabel(const DecodeOutcome& outcome) {
  QString line = tr("%n node(s)", nullptr, outcome.tree ? outcome.tree->size() : 0) + " · " +
                 tr("step %1").arg(outcome.step);
  if (outcome.finished) {
    line += " · " + tr("%n model call(s)", nullptr, outcome.model_calls) + " · " +
            tr("%1 ms").arg(outcome.elapsed_ms);
    if (outcome.cancelled) line += " · " + tr("cancelled");
    if (outcome.capped) line += " · " + tr("capped");
  } else {
    line += " · " + tr("running…");
  }
  run_label_->setText(line);
}

void MainWindow::onOpened(const DecodeOutcome& outcome) {
  {
    // Show the saved parameters without re-running: the tree is the record.
    const QSignalBlocker block(controls_);
    controls_->setParams(outcome.params);
  }
  prompt_->setText(outcome.prompt_text);
  history_->clear();  // the file's tree has nothing to undo to
  what_if_before_.reset();
  user_highlight_ = false;
  view_->resumeFollowing();
  onOutcome(outcome);
}

void MainWindow::onNodeSelected(int node) {
  inspector_->setNode(session_->tree(), session_->promptText(), node);
}

void MainWindow::showError(const QString& message) {
  last_error_ = message;
  message_bar_->showMessage(message, MessageBar::Kind::Error);
}

void MainWindow::showStatus(const QString& message) {
  statusBar()->showMessage(message, kStatusMs);
}

void MainWindow::updateRunState() {
  const bool busy = service_->isBusy();
  cancel_action_->setEnabled(busy);
  run_action_->setEnabled(service_->hasModel() || busy);
}

void MainWindow::refreshStyle() {
  const double scale = presentation_ ? presentation_->scale() : 1.0;
  scene_->setTreeStyle(TreeStyle::for_palette(palette(), scale));
  view_->refreshLegend();
  run_action_->setIcon(run_icon(palette()));
  cancel_action_->setIcon(cancel_icon(palette()));
}

void MainWindow::onPresentationToggled(bool on) {
  if (presentation_action_->isChecked() != on) presentation_action_->setChecked(on);
  // The legend's strip would take the tree's room on the projector (tokens
  // under 24 px): off while presenting, Ctrl+G shows it; back as it was after.
  if (on) {
    legend_before_presenting_ = legend_action_->isChecked();
    legend_action_->setChecked(false);
  } else {
    legend_action_->setChecked(legend_before_presenting_);
  }
  refreshStyle();
  // On a projector: the kept beams only (the rest as "+N" stubs), turned the
  // way that fills the screen.
  tree_shape_->setPresenting(on, view_->maximumViewportSize());
  view_->autoFit();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (presentation_->isOn()) presentation_->setOn(false);
  settings::setWindowGeometry(saveGeometry());
  settings::setWindowState(saveState());
  settings::setLogProbView(log_mode_action_->isChecked());
  saveSettings();
  service_->cancel();
  event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
  QMainWindow::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) refreshStyle();
}

}  // namespace beamscope::ui
