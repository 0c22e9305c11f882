#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>

namespace beamscope::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Beamscope"));
  setWindowIcon(QIcon(QStringLiteral(":/beamscope/icons/beamscope.svg")));
  resize(1280, 800);

  placeholder_ = new QLabel(this);
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setWordWrap(true);
  setCentralWidget(placeholder_);

  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  statusBar()->showMessage(tr("Ready"));
}

void MainWindow::showPlaceholder(const QString& message) { placeholder_->setText(message); }

QString MainWindow::placeholderText() const { return placeholder_->text(); }

}  // namespace beamscope::ui
