// Where everything sits in the main window, and its menus (the behaviour is
// in main_window.cpp).
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

#include "connect_server_dialog.h"
#include "controls_panel.h"
#include "decoding_service.h"
#include "edit_history.h"
#include "export_controller.h"
#include "inspector_widget.h"
#include "main_window.h"
#include "message_bar.h"
#include "model_picker.h"
#include "playback_bar.h"
#include "recent_sessions_menu.h"
#include "results_panel.h"
#include "session_controller.h"
#include "shortcuts_dialog.h"
#include "tree_scene.h"
#include "tree_shape_menu.h"
#include "tree_view.h"

namespace beamscope::ui {

QDockWidget* MainWindow::addDock(const QString& title, const QString& name, QWidget* content,
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
}

void MainWindow::buildLayout() {
  // Top: prompt and model.
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
  top->addSeparator();
  auto* model_label = new QLabel(tr(" &Model "), this);
  model_label->setBuddy(model_picker_->chooser());
  top->addWidget(model_label);
  top->addWidget(model_picker_->chooser());

  // Centre: the tree and playback.
  auto* centre = new QWidget(this);
  auto* centre_layout = new QVBoxLayout(centre);
  centre_layout->setContentsMargins(0, 0, 0, 0);
  centre_layout->setSpacing(0);
  centre_layout->addWidget(message_bar_);
  centre_layout->addWidget(view_, 1);
  centre_layout->addWidget(playback_);
  setCentralWidget(centre);

  controls_dock_ =
      addDock(tr("Decoding"), QStringLiteral("controls-dock"), controls_, Qt::LeftDockWidgetArea);
  controls_dock_->widget()->setMinimumWidth(270);
  inspector_dock_ = addDock(tr("Inspector"), QStringLiteral("inspector-dock"), inspector_,
                            Qt::RightDockWidgetArea);
  inspector_dock_->widget()->setMinimumWidth(420);
  results_dock_ = addDock(tr("Returned sequences"), QStringLiteral("results-dock"), results_,
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

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &Model Folder…"), model_picker_, &ModelPicker::openFolderDialog)
      ->setShortcut(QKeySequence::Open);
  file->addAction(tr("Models on This &Computer…"), model_picker_, &ModelPicker::openModelBrowser)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
  file->addAction(tr("&Get Model…"), model_picker_, &ModelPicker::openGetModel);
  file->addMenu(model_picker_->recentMenu());
  file->addAction(tr("Use the &Bundled Model"), model_picker_, &ModelPicker::requestBundled);
  file->addAction(tr("Connect to Se&rver…"), this, [this] {
    ConnectServerDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted) connectServer(dialog.options(), dialog.tokenizerDir());
  });
  file->addSeparator();
  file->addAction(tr("Open &Session…"), session_, &SessionController::openDialog)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  auto* recent = new RecentSessionsMenu(session_, this);
  connect(recent, &RecentSessionsMenu::notice, this, [this](const QString& message) {
    message_bar_->showMessage(message, MessageBar::Kind::Notice);
  });
  file->addMenu(recent);
  file->addAction(tr("&Save Session…"), session_, &SessionController::saveDialog)
      ->setShortcut(QKeySequence::Save);
  file->addAction(tr("&Export…"), exporter_, &ExportController::exportDialog)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  // Undo and redo for "what if" branches and their removal.
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = history_->stack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = history_->stack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcuts(
      {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  edit->addAction(undo);
  edit->addAction(redo);
  edit->addSeparator();
  edit->addAction(tr("Copy &Image"), exporter_, &ExportController::copyImage)
      ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));

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
  // Nodes glide to their new places on steps and parameter changes (issue
  // 17); a lecturer who wants the tree to jump turns it off here.
  QAction* animate = view->addAction(tr("&Animate Changes"));
  animate->setCheckable(true);
  animate->setChecked(scene_->isAnimated());
  connect(animate, &QAction::toggled, scene_, &TreeScene::setAnimated);
  legend_action_ = view->addAction(tr("Show Le&gend"));
  legend_action_->setCheckable(true);
  legend_action_->setChecked(true);
  // On a projector the legend can cover the tree's top-left corner: one key
  // takes it away and brings it back.
  legend_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
  connect(legend_action_, &QAction::toggled, view_, &TreeView::setLegendVisible);
  tree_shape_ = new TreeShapeMenu(scene_, view);
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

  // The prompt toolbar repeats the run controls for the mouse.
  QToolBar* top = findChild<QToolBar*>(QStringLiteral("prompt-toolbar"));
  // Their icons follow the palette (refreshStyle).
  top->addAction(run_action_);
  top->addAction(cancel_action_);
}

}  // namespace beamscope::ui
