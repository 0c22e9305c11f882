// beamscope: the desktop app. Thin: everything lives in beamscope_ui.
//
//   beamscope [--model DIR] [--prompt TEXT] [--strategy greedy|beam|top-k|top-p|min-p|custom]
//             [--inspect NODE] [--screenshot FILE.png] [--presentation]
//             [--time-first-tree]
//
// --screenshot renders the window once the first tree is complete, writes it
// to FILE and quits (for documentation and smoke tests; works offscreen).
// --time-first-tree prints the milliseconds from process start to the first
// complete tree painted on screen, then quits (bench/run.sh: cold start).
#include <unistd.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QEvent>
#include <QLineEdit>
#include <QPalette>
#include <QStyle>
#include <QTimer>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>

#include "controls_panel.h"
#include "decoding_service.h"
#include "main_window.h"
#include "model/model_folder.h"
#include "slider_spin.h"
#include "tree_scene.h"
#include "tree_view.h"

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
// Milliseconds since the kernel started this process (/proc/self/stat field
// 22, in clock ticks since boot), so exec, dynamic linking and Qt's start-up
// count too. -1 where that is unavailable.
double ms_since_process_start() {
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (!std::getline(stat, line)) return -1;
  // Fields after the ")" that closes the command name; starttime is 22nd.
  std::size_t at = line.rfind(')');
  if (at == std::string::npos) return -1;
  at += 2;
  for (int field = 3; field < 22 && at != std::string::npos; ++field) at = line.find(' ', at) + 1;
  const double start_ticks = std::stod(line.substr(at));
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return 1e3 * static_cast<double>(now.tv_sec) + 1e-6 * static_cast<double>(now.tv_nsec) -
         1e3 * start_ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Reports the first paint of the tree view after the first tree completed.
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

// A dark Fusion palette for dark lecture rooms, with text contrast kept high.
QPalette dark_palette() {
  QPalette p;
  const QColor window(0x2A, 0x2D, 0x33), base(0x1E, 0x21, 0x26), text(0xE6, 0xE6, 0xE6);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x9A, 0xA0, 0xA8));
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::Highlight, QColor(0x3D, 0x7E, 0xD6));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x8F, 0xB8, 0xF0));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x70, 0x75, 0x7D));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x75, 0x7D));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x75, 0x7D));
  return p;
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
  const QCommandLineOption size(QStringLiteral("size"),
                                QStringLiteral("Window size, e.g. 1600x1000."),
                                QStringLiteral("WxH"));
  // Slider values to start with (otherwise the last session's).
  const QCommandLineOption beams(QStringLiteral("beams"), QStringLiteral("Beam width."),
                                 QStringLiteral("N"));
  const QCommandLineOption max_new(QStringLiteral("max-new-tokens"),
                                   QStringLiteral("Tokens to generate."), QStringLiteral("N"));
  const QCommandLineOption samples(QStringLiteral("samples"), QStringLiteral("Number of samples."),
                                   QStringLiteral("N"));
  const QCommandLineOption alternatives(QStringLiteral("alternatives"),
                                        QStringLiteral("Alternatives per node."),
                                        QStringLiteral("N"));
  const QCommandLineOption temperature(
      QStringLiteral("temperature"), QStringLiteral("Sampling temperature."), QStringLiteral("T"));
  const QCommandLineOption min_p(QStringLiteral("min-p"), QStringLiteral("Min-p threshold."),
                                 QStringLiteral("P"));
  const QCommandLineOption theme(QStringLiteral("theme"),
                                 QStringLiteral("light or dark (default: the desktop's palette)."),
                                 QStringLiteral("NAME"));
  const QCommandLineOption time_first_tree(
      QStringLiteral("time-first-tree"),
      QStringLiteral("Print the ms from process start to the first tree drawn, then quit."));
  parser.addOptions({model, prompt, strategy, inspect, screenshot, presentation, size, beams,
                     max_new, samples, alternatives, temperature, min_p, theme, time_first_tree});
  parser.process(app);

  if (parser.isSet(theme)) {
    const QString name = parser.value(theme);
    if (name != QLatin1String("light") && name != QLatin1String("dark")) {
      std::fprintf(stderr, "Unknown theme '%s'; use light or dark.\n", qPrintable(name));
      return 1;
    }
    QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(
        name == QLatin1String("dark") ? dark_palette() : QApplication::style()->standardPalette());
  }

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
  auto set_slider = [&](const QCommandLineOption& option, beamscope::ui::SliderSpin* slider) {
    if (parser.isSet(option)) slider->setValue(parser.value(option).toDouble());
  };
  set_slider(beams, window.controls()->beamWidth());
  set_slider(max_new, window.controls()->maxNewTokens());
  set_slider(samples, window.controls()->numSamples());
  set_slider(alternatives, window.controls()->alternatives());
  set_slider(temperature, window.controls()->temperature());
  set_slider(min_p, window.controls()->minP());
  if (parser.isSet(size)) {
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
  }
  const bool timing = parser.isSet(time_first_tree);
  const bool auto_run = parser.isSet(prompt) || parser.isSet(screenshot) || timing;
  FirstTreePaint first_paint;
  if (timing) window.view()->viewport()->installEventFilter(&first_paint);
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
    if (timing) {
      first_paint.arm();
      window.view()->viewport()->update();  // make sure a paint follows
    }
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
    if (shot.isEmpty() && !timing) return;
    std::fprintf(stderr, "%s\n", qPrintable(m));
    QApplication::exit(1);
  });

  window.show();
  if (parser.isSet(presentation)) window.setPresentationMode(true);
  const QString folder = parser.isSet(model)
                             ? parser.value(model)
                             : QString::fromStdString(beamscope::bundled_model_dir().string());
  window.loadModel(folder);
  if (!shot.isEmpty() || timing) {
    // Model load failure in screenshot or timing mode: say so and quit.
    QObject::connect(window.service(), &beamscope::ui::DecodingService::modelFailed, &window,
                     [](const QString& m) {
                       std::fprintf(stderr, "%s\n", qPrintable(m));
                       QApplication::exit(1);
                     });
  }
  return app.exec();
}
