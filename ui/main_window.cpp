#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

#include "controls_panel.h"
#include "decoding/decoder.h"
#include "decoding_service.h"
#include "inspector_widget.h"
#include "io/session.h"
#include "message_bar.h"
#include "model/model_folder.h"
#include "playback_bar.h"
#include "results_panel.h"
#include "settings_store.h"
#include "shortcuts_dialog.h"
#include "token_display.h"
#include "tree_renderer.h"
#include "tree_scene.h"
#include "tree_view.h"
#include "util/error.h"

// Q_INIT_RESOURCE cannot sit inside a namespace; the .qrc is compiled into the
// static beamscope_ui library, so it must be registered by hand.
static void init_beamscope_resources() { Q_INIT_RESOURCE(beamscope); }

namespace beamscope::ui {

namespace {
constexpr int kRerunDebounceMs = 30;
constexpr double kPresentationScale = 1.5;
const char* const kDefaultPrompt = "The cat sat on the";

DecodeParams lecture_defaults() {
  DecodeParams d;
  d.strategy = StrategyKind::Beam;
  d.num_beams = 4;
  d.max_new_tokens = 8;
  d.num_return_sequences = 4;
  d.early_stopping = EarlyStopping::True;
  d.alternatives = 3;
  d.top_k = 10;
  d.top_p = 0.9;
  d.min_p = 0.1;
  d.num_samples = 8;
  return d;
}

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
}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  init_beamscope_resources();
  setWindowTitle(tr("Beamscope"));
  setWindowIcon(QIcon(QStringLiteral(":/beamscope/icons/beamscope.svg")));
  setAcceptDrops(true);
  resize(1440, 900);

  service_ = new DecodingService(this);
  scene_ = new TreeScene(this);
  view_ = new TreeView(scene_, this);
  controls_ = new ControlsPanel(this);
  inspector_ = new InspectorWidget(this);
  results_ = new ResultsPanel(this);
  playback_ = new PlaybackBar(this);
  message_bar_ = new MessageBar(this);
  buildLayout();
  buildActions();
  refreshStyle();

  rerun_timer_.setSingleShot(true);
  rerun_timer_.setInterval(kRerunDebounceMs);
  connect(&rerun_timer_, &QTimer::timeout, this, &MainWindow::run);

  connect(controls_, &ControlsPanel::paramsChanged, this, &MainWindow::onParamsChanged);
  connect(scene_, &TreeScene::nodeSelected, this, &MainWindow::onNodeSelected);
  connect(scene_, &TreeScene::nodeActivated, this, &MainWindow::forceAlternative);
  connect(scene_, &TreeScene::nodeContextMenuRequested, this, &MainWindow::onNodeContextMenu);
  connect(inspector_, &InspectorWidget::nodeRequested, scene_, &TreeScene::selectNode);
  connect(results_, &ResultsPanel::sequenceClicked, this, [this](int node) {
    scene_->setHighlightedNode(node);
    scene_->selectNode(node);
  });
  connect(playback_, &PlaybackBar::stepChanged, scene_, &TreeScene::setMaxStep);

  connect(service_, &DecodingService::modelProgress, this,
          [this](double fraction, const QString& what) {
            progress_->setVisible(true);
            progress_->setValue(static_cast<int>(fraction * 100));
            statusBar()->showMessage(tr("Loading model: %1").arg(what));
          });
  connect(service_, &DecodingService::modelLoaded, this, [this](const ModelSummary& m) {
    progress_->setVisible(false);
    model_label_->setText(modelText(m));
    model_label_->setToolTip(m.path);
    message_bar_->clearMessage();
    settings::addRecentModel(m.path);
    refreshRecentMenu();
    statusBar()->showMessage(tr("Model loaded in %1 ms.").arg(m.load_ms), 4000);
    updateRunState();
    emit modelReady();
  });
  connect(service_, &DecodingService::modelFailed, this, [this](const QString& message) {
    progress_->setVisible(false);
    // A failed load leaves the previous model in place and usable.
    model_label_->setText(service_->hasModel() ? modelText(service_->model()) : tr("No model"));
    refreshRecentMenu();  // the chooser points at the model in use again
    updateRunState();
    showError(message);
  });
  connect(service_, &DecodingService::treeProgress, this, &MainWindow::onOutcome);
  connect(service_, &DecodingService::decodeFinished, this, &MainWindow::onOutcome);
  connect(service_, &DecodingService::decodeFailed, this, [this](const QString& message) {
    showError(message);
    emit runFailed(message);
  });
  connect(service_, &DecodingService::busyChanged, this, &MainWindow::updateRunState);

  // Restore the last session's prompt and parameters (lecture defaults first time).
  prompt_->setText(settings::prompt(QString::fromLatin1(kDefaultPrompt)));
  controls_->setParams(settings::params(lecture_defaults()));
  const int preset = settings::preset();
  if (preset >= int(StrategyPreset::Greedy) && preset <= int(StrategyPreset::Custom)) {
    controls_->setPreset(static_cast<StrategyPreset>(preset));
  }
  QSettings s;
  restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(s.value(QStringLiteral("window/state")).toByteArray());
  log_mode_action_->setChecked(s.value(QStringLiteral("view/logprob"), false).toBool());
  refreshRecentMenu();
  updateRunState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildLayout() {
  // Top: prompt and run.
  QToolBar* top = addToolBar(tr("Prompt"));
  top->setObjectName(QStringLiteral("prompt-toolbar"));
  top->setMovable(false);
  auto* prompt_label = new QLabel(tr(" &Prompt "), this);
  prompt_ = new QLineEdit(this);
  prompt_->setPlaceholderText(tr("Type a prompt and press Enter"));
  prompt_->setClearButtonEnabled(true);
  prompt_label->setBuddy(prompt_);
  top->addWidget(prompt_label);
  top->addWidget(prompt_);
  connect(prompt_, &QLineEdit::returnPressed, this, &MainWindow::run);
  top->addSeparator();
  auto* model_label = new QLabel(tr(" &Model "), this);
  model_box_ = new QComboBox(this);
  model_box_->setMinimumContentsLength(18);
  model_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  model_box_->setToolTip(
      tr("The model folder in use; pick a recent one or open another "
         "(you can also drop a folder on the window)."));
  model_label->setBuddy(model_box_);
  top->addWidget(model_label);
  top->addWidget(model_box_);
  connect(model_box_, &QComboBox::activated, this, [this](int index) {
    const QString folder = model_box_->itemData(index).toString();
    if (folder.isEmpty()) {
      openModelDialog();  // the "Open Model Folder…" entry
      refreshRecentMenu();
    } else if (folder != service_->model().path || !service_->hasModel()) {
      loadModel(folder);
    }
  });

  // Centre: the tree and playback.
  auto* centre = new QWidget(this);
  auto* centre_layout = new QVBoxLayout(centre);
  centre_layout->setContentsMargins(0, 0, 0, 0);
  centre_layout->setSpacing(0);
  centre_layout->addWidget(message_bar_);
  centre_layout->addWidget(view_, 1);
  centre_layout->addWidget(playback_);
  setCentralWidget(centre);

  auto dock = [this](const QString& title, const QString& name, QWidget* content,
                     Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    auto* scroll = new QScrollArea(d);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    d->setWidget(scroll);
    addDockWidget(area, d);
    return d;
  };
  controls_dock_ =
      dock(tr("Decoding"), QStringLiteral("controls-dock"), controls_, Qt::LeftDockWidgetArea);
  controls_dock_->widget()->setMinimumWidth(270);
  inspector_dock_ =
      dock(tr("Inspector"), QStringLiteral("inspector-dock"), inspector_, Qt::RightDockWidgetArea);
  inspector_dock_->widget()->setMinimumWidth(420);
  results_dock_ = dock(tr("Returned sequences"), QStringLiteral("results-dock"), results_,
                       Qt::BottomDockWidgetArea);
  results_dock_->setMaximumHeight(170);

  model_label_ = new QLabel(tr("No model"), this);
  run_label_ = new QLabel(this);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(180);
  progress_->setVisible(false);
  statusBar()->addPermanentWidget(run_label_);
  statusBar()->addPermanentWidget(progress_);
  statusBar()->addPermanentWidget(model_label_);
}

void MainWindow::buildActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open_model =
      file->addAction(tr("Open &Model Folder…"), this, &MainWindow::openModelDialog);
  open_model->setShortcut(QKeySequence::Open);
  recent_menu_ = file->addMenu(tr("&Recent Models"));
  file->addAction(tr("Use the &Bundled Model"), this,
                  [this] { loadModel(QString::fromStdString(bundled_model_dir().string())); });
  file->addSeparator();
  file->addAction(tr("Open &Session…"), this, &MainWindow::openSessionDialog)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  file->addAction(tr("&Save Session…"), this, &MainWindow::saveSessionDialog)
      ->setShortcut(QKeySequence::Save);
  file->addAction(tr("&Export…"), this, &MainWindow::exportDialog)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* run_menu = menuBar()->addMenu(tr("&Run"));
  run_action_ = run_menu->addAction(tr("&Run"), this, &MainWindow::run);
  run_action_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return),
                             QKeySequence(Qt::CTRL | Qt::Key_Enter), QKeySequence(Qt::Key_F5)});
  cancel_action_ = run_menu->addAction(tr("&Cancel"), this, &MainWindow::cancel);
  cancel_action_->setShortcut(QKeySequence(Qt::Key_Escape));
  run_menu->addSeparator();
  QAction* play = run_menu->addAction(tr("&Play / Pause"), playback_, &PlaybackBar::togglePlay);
  play->setShortcut(QKeySequence(Qt::Key_Space));
  run_menu->addAction(tr("&Step"), playback_, &PlaybackBar::stepForward)
      ->setShortcut(QKeySequence(Qt::Key_Period));
  run_menu->addAction(tr("&Back"), playback_, &PlaybackBar::stepBack)
      ->setShortcut(QKeySequence(Qt::Key_Comma));
  run_menu->addAction(tr("R&eset Playback"), playback_, &PlaybackBar::reset)
      ->setShortcut(QKeySequence(Qt::Key_Home));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("Zoom &In"), view_, &TreeView::zoomIn)
      ->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::Key_Plus)});
  view->addAction(tr("Zoom &Out"), view_, &TreeView::zoomOut)
      ->setShortcuts({QKeySequence::ZoomOut, QKeySequence(Qt::Key_Minus)});
  view->addAction(tr("&Fit Tree"), view_, &TreeView::fitTree)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  view->addSeparator();
  log_mode_action_ = view->addAction(tr("Show &Log-Probabilities"));
  log_mode_action_->setCheckable(true);
  log_mode_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  connect(log_mode_action_, &QAction::toggled, this, [this](bool on) {
    scene_->setProbabilityMode(on ? ProbabilityMode::LogProb : ProbabilityMode::Probability);
  });
  legend_action_ = view->addAction(tr("Show Le&gend"));
  legend_action_->setCheckable(true);
  legend_action_->setChecked(true);
  // On a projector the legend can cover the tree's top-left corner: one key
  // takes it away and brings it back.
  legend_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
  connect(legend_action_, &QAction::toggled, view_, &TreeView::setLegendVisible);
  presentation_action_ = view->addAction(tr("&Presentation Mode"));
  presentation_action_->setCheckable(true);
  presentation_action_->setShortcut(QKeySequence(Qt::Key_F11));
  connect(presentation_action_, &QAction::toggled, this, &MainWindow::setPresentationMode);
  view->addSeparator();
  view->addAction(controls_dock_->toggleViewAction());
  QAction* inspector_toggle = inspector_dock_->toggleViewAction();
  inspector_toggle->setShortcut(QKeySequence(Qt::Key_F9));
  view->addAction(inspector_toggle);
  view->addAction(results_dock_->toggleViewAction());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keyboard Shortcuts"), this,
                  [this] {
                    ShortcutsDialog dialog(collect_shortcuts(*menuBar()), this);
                    dialog.exec();
                  })
      ->setShortcut(QKeySequence::HelpContents);
  help->addAction(tr("&About Beamscope"), this, [this] {
    QMessageBox::about(
        this, tr("About Beamscope"),
        tr("<b>Beamscope %1</b><p>See, live, how a language model picks its next tokens: "
           "greedy, beam search and top-k / top-p / min-p sampling, drawn as a tree.</p>"
           "<p>Double-click a grey alternative to ask <i>what if</i>; arrows walk the tree; "
           "Space plays the steps.</p>")
            .arg(QStringLiteral(BEAMSCOPE_VERSION)));
  });

  // The main toolbar repeats the run controls for the mouse.
  QToolBar* top = findChild<QToolBar*>(QStringLiteral("prompt-toolbar"));
  run_action_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  cancel_action_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  top->addAction(run_action_);
  top->addAction(cancel_action_);
}

void MainWindow::showPlaceholder(const QString& message) {
  placeholder_ = message;
  statusBar()->showMessage(message);
}

QString MainWindow::placeholderText() const { return placeholder_; }

void MainWindow::loadModel(const QString& folder) {
  model_label_->setText(tr("Loading %1…").arg(QDir(folder).dirName()));
  progress_->setValue(0);
  progress_->setVisible(true);
  service_->loadModel(folder);
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
  settings::setPrompt(prompt_->text());
  settings::setParams(controls_->controlValues());
  settings::setPreset(static_cast<int>(controls_->preset()));
  last_error_.clear();
  has_run_ = true;
  service_->decode(prompt_->text(), params);
}

void MainWindow::cancel() { service_->cancel(); }

void MainWindow::onParamsChanged() {
  // Moving a slider redraws at once: re-run (cheap — the logits cache serves
  // every prefix already seen), debounced so a drag sends the latest value.
  if (has_run_ && service_->hasModel()) rerun_timer_.start();
}

void MainWindow::onOutcome(const DecodeOutcome& outcome) {
  last_ = outcome;
  showTree(outcome.tree, outcome.prompt_text);
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
  if (outcome.finished) {
    if (outcome.capped) {
      message_bar_->showMessage(QString::fromStdString(node_cap_message(outcome.params.max_nodes)),
                                MessageBar::Kind::Notice);
    } else {
      message_bar_->clearMessage();  // a run went through: earlier refusals are moot
    }
    emit runFinished();
  }
}

void MainWindow::showTree(const TreeSnapshot& tree, const QString& prompt) {
  const int keep_selected = scene_->selectedNode();
  tree_ = tree;
  shown_prompt_ = prompt;
  // A new tree shows all its steps; one layout pass, not one per change.
  const int depth = tree ? tree->depth() : 0;
  scene_->setTree(tree, prompt, depth);
  playback_->setDepth(depth);
  results_->setTree(tree);
  if (scene_->highlightedNode() < 0 && tree && !tree->sequences.empty()) {
    scene_->setHighlightedNode(tree->sequences.front().node);
  }
  const int node = keep_selected >= 0 && tree && keep_selected < tree->size() ? keep_selected : 0;
  if (scene_->selectedNode() == node) {
    onNodeSelected(node);  // same id, new data: refresh the inspector
  } else {
    scene_->selectNode(node);
  }
}

void MainWindow::onNodeSelected(int node) { inspector_->setNode(tree_, shown_prompt_, node); }

void MainWindow::forceAlternative(int node) {
  if (!tree_ || node <= 0 || node >= tree_->size()) return;
  const TreeNode& n = tree_->node(node);
  if (is_taken(n.status)) {
    statusBar()->showMessage(tr("That token was taken already; double-click a grey alternative "
                                "or a pruned candidate to ask “what if”."),
                             5000);
    return;
  }
  service_->force(tree_, last_.prompt_text, n.parent, n.token_id, last_.params);
}

void MainWindow::removeBranch(int node) {
  if (!tree_ || node <= 0 || node >= tree_->size()) return;
  auto copy = std::make_shared<TokenTree>(*tree_);
  copy->remove_subtree(node);
  scene_->setHighlightedNode(-1);
  scene_->selectNode(-1);
  showTree(copy, shown_prompt_);
  last_.tree = tree_;
}

void MainWindow::onNodeContextMenu(int node, const QPoint& screen_pos) {
  if (!tree_ || node < 0 || node >= tree_->size()) return;
  const TreeNode& n = tree_->node(node);
  QMenu menu(this);
  QAction* what_if =
      menu.addAction(tr("What if: take “%1” and decode on").arg(visible_token_text(n.text)));
  what_if->setEnabled(n.parent >= 0 && !is_taken(n.status) && service_->hasModel());
  QAction* remove = menu.addAction(tr("Remove this branch"));
  remove->setEnabled(n.parent >= 0 && n.forced);
  QAction* highlight = menu.addAction(tr("Highlight the path to here"));
  QAction* chosen = menu.exec(screen_pos);
  if (chosen == what_if) forceAlternative(node);
  if (chosen == remove) removeBranch(node);
  if (chosen == highlight) scene_->setHighlightedNode(node);
}

void MainWindow::showError(const QString& message) {
  last_error_ = message;
  message_bar_->showMessage(message, MessageBar::Kind::Error);
}

QString MainWindow::modelText(const ModelSummary& m) const {
  return tr("%1 · %2 · %3M parameters · vocab %4")
      .arg(m.name, m.architecture)
      .arg(double(m.parameter_count) / 1e6, 0, 'f', 1)
      .arg(m.vocab_size);
}

void MainWindow::updateRunState() {
  const bool busy = service_->isBusy();
  cancel_action_->setEnabled(busy);
  run_action_->setEnabled(service_->hasModel() || busy);
}

void MainWindow::refreshRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = settings::recentModels();
  for (const QString& folder : recent) {
    recent_menu_->addAction(folder, this, [this, folder] { loadModel(folder); });
  }
  recent_menu_->setEnabled(!recent.isEmpty());

  const QSignalBlocker block(model_box_);
  model_box_->clear();
  QStringList folders = recent;
  const QString bundled = QString::fromStdString(bundled_model_dir().string());
  if (!folders.contains(bundled)) folders << bundled;
  for (const QString& folder : folders) {
    model_box_->addItem(QDir(folder).dirName(), folder);
    model_box_->setItemData(model_box_->count() - 1, folder, Qt::ToolTipRole);
  }
  model_box_->insertSeparator(model_box_->count());
  model_box_->addItem(tr("Open Model Folder…"), QString());
  const int current = model_box_->findData(service_->model().path);
  model_box_->setCurrentIndex(current >= 0 ? current : 0);
}

void MainWindow::refreshStyle() {
  const double scale = presentation_ ? kPresentationScale : 1.0;
  scene_->setTreeStyle(TreeStyle::for_palette(palette(), scale));
  view_->refreshLegend();
}

void MainWindow::setPresentationMode(bool on) {
  if (presentation_ == on) return;
  presentation_ = on;
  if (presentation_action_->isChecked() != on) presentation_action_->setChecked(on);
  QFont f = QApplication::font();
  if (on) {
    normal_state_ = saveState();
    // The tree is the show: controls, results and the inspector step aside
    // (View menu / F9 brings the inspector back).
    controls_dock_->hide();
    results_dock_->hide();
    inspector_dock_->hide();
    f.setPointSizeF(f.pointSizeF() * kPresentationScale);
    showFullScreen();
  } else {
    restoreState(normal_state_);
    showNormal();
  }
  setFont(f);
  refreshStyle();
  view_->autoFit();
}

void MainWindow::openModelDialog() {
  const QString folder = QFileDialog::getExistingDirectory(
      this, tr("Open Model Folder"),
      QSettings().value(QStringLiteral("models/last-dir")).toString());
  if (folder.isEmpty()) return;
  QSettings().setValue(QStringLiteral("models/last-dir"), folder);
  loadModel(folder);
}

bool MainWindow::exportTo(const QString& path, double png_scale) {
  if (!tree_) {
    showError(tr("There is no tree to export yet; run the model first."));
    return false;
  }
  try {
    if (QFileInfo(path).suffix().toLower() == QLatin1String("json")) return saveSessionTo(path);
    const auto format = image_format_for(path);
    if (!format) throw Error("Export supports .png, .svg, .pdf and .json files.");
    ExportOptions options;
    options.png_scale = png_scale;
    options.mode = scene_->probabilityMode();
    options.selected = scene_->selectedNode();
    options.highlighted = scene_->highlightedNode();
    options.max_step = scene_->maxStep();
    options.legend = view_->isLegendVisible();
    export_tree_image(*tree_, shown_prompt_, path, *format, options);
    statusBar()->showMessage(tr("Exported %1.").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return false;
  }
}

void MainWindow::exportDialog() {
  QString selected;
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export"), QSettings().value(QStringLiteral("export/last")).toString(),
      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf);;Session JSON (*.json)"),
      &selected);
  if (path.isEmpty()) return;
  QSettings().setValue(QStringLiteral("export/last"), path);
  double scale = 2.0;
  if (image_format_for(path) == ImageFormat::Png) {
    bool ok = false;
    scale = QInputDialog::getDouble(
        this, tr("PNG Scale"), tr("Pixels per point (2 = retina):"),
        QSettings().value(QStringLiteral("export/scale"), 2.0).toDouble(), 0.25, 8.0, 2, &ok);
    if (!ok) return;
    QSettings().setValue(QStringLiteral("export/scale"), scale);
  }
  exportTo(path, scale);  // a failure is in the message bar
}

bool MainWindow::saveSessionTo(const QString& path) {
  if (!tree_) {
    showError(tr("There is no tree to save yet; run the model first."));
    return false;
  }
  try {
    Session session;
    const ModelSummary& m = service_->model();
    session.model = ModelRef{m.path.toStdString(), m.architecture.toStdString(), m.vocab_size};
    session.params = last_.params;
    session.prompt_text = shown_prompt_.toStdString();
    session.prompt_ids = last_.prompt_ids;
    session.tree = *tree_;
    save_session(session, std::filesystem::path(path.toStdString()));
    statusBar()->showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return false;
  }
}

bool MainWindow::openSessionFrom(const QString& path) {
  try {
    Session session = load_session(std::filesystem::path(path.toStdString()));
    // The file can say anything; parameters no run could have used (say 300
    // beams) are refused rather than clamped into the controls unnoticed.
    validate_decode_params(session.params);
    DecodeOutcome outcome;
    outcome.tree = std::make_shared<const TokenTree>(std::move(session.tree));
    outcome.prompt_text = QString::fromStdString(session.prompt_text);
    outcome.prompt_ids = session.prompt_ids;
    outcome.params = session.params;
    outcome.finished = true;
    outcome.step = outcome.tree->depth();
    {
      // Show the saved parameters without re-running: the tree is the record.
      const QSignalBlocker block(controls_);
      controls_->setParams(session.params);
    }
    prompt_->setText(outcome.prompt_text);
    scene_->setHighlightedNode(-1);
    onOutcome(outcome);
    statusBar()->showMessage(tr("Opened %1.").arg(QDir::toNativeSeparators(path)), 5000);
    // A prompt saved from raw bytes (the CLI accepts any) cannot sit in the
    // UTF-16 prompt box as it is: the tree shows the saved run, the box U+FFFD.
    if (outcome.prompt_text.toStdString() != session.prompt_text) {
      message_bar_->showMessage(
          tr("The session's prompt is not valid UTF-8, so the prompt box shows \uFFFD for its "
             "invalid bytes and a new run will use the prompt as shown."),
          MessageBar::Kind::Notice);
    }
    return true;
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
    return false;
  }
}

void MainWindow::saveSessionDialog() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Save Session"), {}, tr("Beamscope session (*.json)"));
  if (!path.isEmpty()) saveSessionTo(path);  // a failure is in the message bar
}

void MainWindow::openSessionDialog() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Open Session"), {}, tr("Beamscope session (*.json)"));
  if (!path.isEmpty()) openSessionFrom(path);  // a failure is in the message bar
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (presentation_) setPresentationMode(false);
  QSettings s;
  s.setValue(QStringLiteral("window/geometry"), saveGeometry());
  s.setValue(QStringLiteral("window/state"), saveState());
  s.setValue(QStringLiteral("view/logprob"), log_mode_action_->isChecked());
  settings::setPrompt(prompt_->text());
  settings::setParams(controls_->controlValues());
  settings::setPreset(static_cast<int>(controls_->preset()));
  service_->cancel();
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (urls.size() == 1 && urls.front().isLocalFile() &&
      QFileInfo(urls.front().toLocalFile()).isDir()) {
    event->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (urls.isEmpty()) return;
  loadModel(urls.front().toLocalFile());
  event->acceptProposedAction();
}

void MainWindow::changeEvent(QEvent* event) {
  QMainWindow::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) refreshStyle();
}

}  // namespace beamscope::ui
