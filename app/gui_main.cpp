// beamscope: the desktop app. Thin: everything lives in beamscope_ui.
#include <QApplication>

#include "main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Beamscope"));
  QApplication::setApplicationName(QStringLiteral("Beamscope"));
  QApplication::setApplicationVersion(QStringLiteral(BEAMSCOPE_VERSION));

  beamscope::ui::MainWindow window;
  window.showPlaceholder(QObject::tr("No model is loaded yet."));
  window.show();
  return app.exec();
}
