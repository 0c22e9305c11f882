#include "app_start.h"

#include <QApplication>
#include <QLineEdit>
#include <QStyle>
#include <QTimer>
#include <cstdio>

#include "controls_panel.h"
#include "dark_palette.h"
#include "decoding/decode_param_spec.h"
#include "decoding_service.h"
#include "main_window.h"
#include "settings_store.h"
#include "start_model.h"
#include "tree_scene.h"
#include "tree_shape_menu.h"
#include "tree_view.h"
#include "util/process_clock.h"

namespace beamscope::ui {

namespace {

// Reports the first paint of the tree view after the first tree completed
// (--time-first-tree; bench/run.sh times the cold start with it).
class FirstTreePaint : public QObject {
 public:
  using QObject::QObject;
  // Called when the first tree is complete; the next paint is the one.
  void arm() {
    if (!fired_) armed_ = true;
  }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (armed_ && event->type() == QEvent::Paint) {
      armed_ = false;
      fired_ = true;
      // Queued: runs once this paint has finished.
      QTimer::singleShot(0, this, [] {
        std::printf("first tree drawn %.0f ms after process start\n", ms_since_process_start());
        QApplication::exit(0);
      });
    }
    return QObject::eventFilter(watched, event);
  }

 private:
  bool armed_ = false;
  bool fired_ = false;
};

void apply_theme(Theme theme) {
  if (theme == Theme::Desktop) return;
  QApplication::setStyle(QStringLiteral("Fusion"));
  QApplication::setPalette(theme == Theme::Dark ? dark_palette()
                                                : QApplication::style()->standardPalette());
}

// The decoding controls as the command line set them (over the saved ones).
void apply_params(ControlsPanel& controls, const StartOptions& options) {
  if (options.preset) controls.setPreset(*options.preset);
  if (options.param_values.empty()) return;
  DecodeParams params = controls.controlValues();
  for (const auto& [name, value] : options.param_values) {
    set_param_number(decode_param_spec(name), value, params);
  }
  controls.setParams(params);
  if (options.preset) controls.setPreset(*options.preset);  // setParams picks one itself
}

// Quits with a message on stderr: screenshot and timing runs have no one to
// read the message bar.
void quit_with(const QString& message) {
  std::fprintf(stderr, "%s\n", qPrintable(message));
  QApplication::exit(1);
}

}  // namespace

void apply_options(MainWindow& window, const StartOptions& options) {
  apply_params(*window.controls(), options);
  if (options.prompt) window.promptEdit()->setText(*options.prompt);
  if (options.size.isValid()) window.resize(options.size);
  if (options.view) {
    if (auto* shape = window.findChild<TreeShapeMenu*>()) shape->setFilter(*options.view);
  }
}

void name_application() {
  QCoreApplication::setOrganizationName(QStringLiteral("Beamscope"));
  QCoreApplication::setApplicationName(QStringLiteral("Beamscope"));
  QCoreApplication::setApplicationVersion(QStringLiteral(BEAMSCOPE_VERSION));
}

int run_window(const StartOptions& options) {
  if (options.overridesSettings()) settings::useScratchCopy();
  apply_theme(options.theme);

  MainWindow window;
  window.setRunOnFirstModel(true);  // a tree at once, not an empty canvas
  apply_options(window, options);

  const bool batch = !options.screenshot.isEmpty() || options.time_first_tree;
  FirstTreePaint first_paint;
  if (options.time_first_tree) window.view()->viewport()->installEventFilter(&first_paint);

  // Run once the model is ready (when asked to), and take the screenshot
  // after the first complete tree.
  bool first_model = true;
  QObject::connect(&window, &MainWindow::modelReady, &window, [&] {
    // The window runs its prompt at the first model on its own; not twice.
    if (first_model && options.autoRun() && !window.hasRun()) window.run();
    first_model = false;
  });
  QObject::connect(&window, &MainWindow::runFinished, &window, [&] {
    if (options.inspect_node >= 0) window.scene()->pickNode(options.inspect_node);
    if (options.time_first_tree) {
      first_paint.arm();
      window.view()->viewport()->update();  // make sure a paint follows
    }
    if (options.screenshot.isEmpty()) return;
    // Let layouts and the view settle for a moment before grabbing.
    QTimer::singleShot(300, &window, [&] {
      const bool ok = window.grab().save(options.screenshot);
      std::fprintf(ok ? stdout : stderr, ok ? "Wrote %s\n" : "Could not write %s\n",
                   qPrintable(options.screenshot));
      QApplication::exit(ok ? 0 : 1);
    });
  });
  if (batch) {
    QObject::connect(&window, &MainWindow::runFailed, &window, quit_with);
    QObject::connect(window.service(), &DecodingService::modelFailed, &window, quit_with);
  }

  window.show();
  if (options.presentation) window.setPresentationMode(true);
  open_start_model(window, options.model_folder);
  return QApplication::exec();
}

}  // namespace beamscope::ui
