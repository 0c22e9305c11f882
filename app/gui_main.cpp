// beamscope: the desktop app. Thin: everything lives in beamscope_ui.
//
//   beamscope [--model DIR] [--prompt TEXT] [--strategy greedy|beam|top-k|top-p|min-p|custom]
//             [--inspect NODE] [--screenshot FILE.png] [--presentation]
//
// --screenshot renders the window once the first tree is complete, writes it
// to FILE and quits (for documentation and smoke tests; works offscreen).
#include <QApplication>
#include <QCommandLineParser>
#include <QLineEdit>
#include <QTimer>
#include <cstdio>

#include "controls_panel.h"
#include "decoding_service.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "tree_scene.h"

namespace {
std::optional<beamscope::ui::StrategyPreset> parse_preset(const QString& name) {
  using beamscope::ui::StrategyPreset;
  if (name == QLatin1String("greedy")) return StrategyPreset::Greedy;
  if (name == QLatin1String("beam")) return StrategyPreset::Beam;
  if (name == QLatin1String("top-k")) return StrategyPreset::TopK;
  if (name == QLatin1String("top-p")) return StrategyPreset::TopP;
  if (name == QLatin1String("min-p")) return StrategyPreset::MinP;
  if (name == QLatin1String("custom")) return StrategyPreset::Custom;
  return std::nullopt;
}
}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Beamscope"));
  QApplication::setApplicationName(QStringLiteral("Beamscope"));
  QApplication::setApplicationVersion(QStringLiteral(BEAMSCOPE_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("See how a language model picks its next tokens."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption model({QStringLiteral("m"), QStringLiteral("model")},
                                 QStringLiteral("Model folder (default: the bundled model)."),
                                 QStringLiteral("DIR"));
  const QCommandLineOption prompt({QStringLiteral("p"), QStringLiteral("prompt")},
                                  QStringLiteral("Prompt to run at start."),
                                  QStringLiteral("TEXT"));
  const QCommandLineOption strategy(QStringLiteral("strategy"),
                                    QStringLiteral("greedy, beam, top-k, top-p, min-p or custom."),
                                    QStringLiteral("NAME"));
  const QCommandLineOption inspect(QStringLiteral("inspect"),
                                   QStringLiteral("Select this node id once the tree is complete."),
                                   QStringLiteral("NODE"));
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral("Write the window to FILE once the first tree is complete, then quit."),
      QStringLiteral("FILE"));
  const QCommandLineOption presentation(QStringLiteral("presentation"),
                                        QStringLiteral("Start in presentation mode."));
  parser.addOptions({model, prompt, strategy, inspect, screenshot, presentation});
  parser.process(app);

  beamscope::ui::MainWindow window;
  if (parser.isSet(strategy)) {
    const auto preset = parse_preset(parser.value(strategy));
    if (!preset) {
      std::fprintf(stderr,
                   "Unknown strategy '%s'; use greedy, beam, top-k, top-p, min-p or custom.\n",
                   qPrintable(parser.value(strategy)));
      return 1;
    }
    window.controls()->setPreset(*preset);
  }
  if (parser.isSet(prompt)) window.promptEdit()->setText(parser.value(prompt));
  const bool auto_run = parser.isSet(prompt) || parser.isSet(screenshot);
  const QString shot = parser.value(screenshot);
  const int inspect_node = parser.isSet(inspect) ? parser.value(inspect).toInt() : -1;

  // Run once the model is ready (when asked to), and take the screenshot
  // after the first complete tree.
  QObject::connect(&window, &beamscope::ui::MainWindow::modelReady, &window, [&] {
    static bool first = true;
    if (first && auto_run) window.run();
    first = false;
  });
  QObject::connect(&window, &beamscope::ui::MainWindow::runFinished, &window, [&] {
    if (inspect_node >= 0) window.scene()->selectNode(inspect_node);
    if (shot.isEmpty()) return;
    // Let layouts and the view settle for a moment before grabbing.
    QTimer::singleShot(300, &window, [&] {
      const bool ok = window.grab().save(shot);
      std::fprintf(ok ? stdout : stderr, ok ? "Wrote %s\n" : "Could not write %s\n",
                   qPrintable(shot));
      QApplication::exit(ok ? 0 : 1);
    });
  });
  QObject::connect(&window, &beamscope::ui::MainWindow::runFailed, &window, [&](const QString& m) {
    if (shot.isEmpty()) return;
    std::fprintf(stderr, "%s\n", qPrintable(m));
    QApplication::exit(1);
  });

  window.show();
  if (parser.isSet(presentation)) window.setPresentationMode(true);
  const QString folder = parser.isSet(model)
                             ? parser.value(model)
                             : QString::fromStdString(beamscope::bundled_model_dir().string());
  window.loadModel(folder);
  if (!shot.isEmpty()) {
    // Model load failure in screenshot mode: say so and quit.
    QObject::connect(window.service(), &beamscope::ui::DecodingService::modelFailed, &window,
                     [](const QString& m) {
                       std::fprintf(stderr, "%s\n", qPrintable(m));
                       QApplication::exit(1);
                     });
  }
  return app.exec();
}
