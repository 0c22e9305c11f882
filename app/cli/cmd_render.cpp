// beamscope-cli render: the tree of a saved session (or `decode --out` file)
// as an image without a display. PNG/SVG/PDF go through the same renderer as
// the app's Export (ui/tree_renderer.h) on Qt's offscreen platform; DOT and
// TikZ are Qt-free text exports from core/io (core layout and palette), so
// they work in a beamscope-cli built without the UI.
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "io/session.h"
#include "io/tree_dot.h"
#include "io/tree_tikz.h"
#include "util/atomic_file.h"
#include "util/error.h"

#if BEAMSCOPE_HAVE_UI
#include <QApplication>
#include <QFontMetricsF>

#include "tree_renderer.h"
#include "tree_style.h"
#endif

namespace beamscope::cli {
namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext.empty() ? ext : ext.substr(1);
}

// Which node the picture highlights: "best" (the first returned sequence),
// "none", or a node id.
int highlight_node(const Args& args, const TokenTree& tree) {
  const std::string which = args.get_or("highlight", "best");
  if (which == "best") return tree.sequences.empty() ? -1 : tree.sequences.front().node;
  if (which == "none") return -1;
  const std::vector<int> ids = parse_int_list(which, "--highlight");
  if (ids.size() != 1 || ids[0] < 0 || ids[0] >= tree.size()) {
    throw Error("--highlight must be best, none or a node id below " + std::to_string(tree.size()) +
                ".");
  }
  return ids[0];
}

#if BEAMSCOPE_HAVE_UI
// Qt needs an application object to paint text; without a display it uses
// the offscreen platform (unless the caller chose one).
QApplication& headless_app() {
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  // stderr is for our one-sentence errors; Qt's environment chatter (e.g.
  // "XDG_RUNTIME_DIR not set") would only confuse scripts reading it.
  qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtFatalMsg) std::cerr << message.toStdString() << "\n";
  });
  static int argc = 1;
  static char name[] = "beamscope-cli";
  static char* argv[] = {name, nullptr};
  static QApplication app(argc, argv);
  return app;
}

#endif

int run_render(const std::vector<std::string>& argv) {
  const Args args(argv, {"tree", "out", "scale", "mode", "legend", "theme", "highlight"});
  const std::filesystem::path tree_path = args.require("tree");
  const std::filesystem::path out_path = args.require("out");
  const std::string format = lower_extension(out_path);
  if (format != "png" && format != "svg" && format != "pdf" && format != "dot" && format != "tex") {
    throw Error("The output file " + out_path.string() +
                " must end in .png, .svg, .pdf, .dot or .tex.");
  }
  const double scale = args.get_double("scale", 2.0);
  const std::string mode = args.get_or("mode", "prob");
  if (mode != "prob" && mode != "logprob") throw Error("--mode must be prob or logprob.");
  const std::string theme = args.get_or("theme", "light");
  if (theme != "light" && theme != "dark") throw Error("--theme must be light or dark.");
  const bool legend = args.get_bool("legend", true);

  const Session session = load_session(tree_path);
  const TokenTree& tree = session.tree;
  const int highlighted = highlight_node(args, tree);

  nlohmann::ordered_json out = {
      {"out", out_path.string()}, {"format", format}, {"nodes", tree.size()}};
  if (format == "dot") {
    write_file_atomically(out_path, tree_to_dot(tree, session.prompt_text));
  } else if (format == "tex") {
    write_file_atomically(out_path, tree_to_tikz(tree, session.prompt_text));
  } else {
#if BEAMSCOPE_HAVE_UI
    headless_app();
    ui::ExportOptions options;
    options.png_scale = scale;
    options.legend = legend;
    options.dark = theme == "dark";
    options.mode = mode == "prob" ? ui::ProbabilityMode::Probability : ui::ProbabilityMode::LogProb;
    options.highlighted = highlighted;
    const auto image_format = format == "png"   ? ui::ImageFormat::Png
                              : format == "svg" ? ui::ImageFormat::Svg
                                                : ui::ImageFormat::Pdf;
    const QSizeF page =
        ui::export_tree_image(tree, QString::fromStdString(session.prompt_text),
                              QString::fromStdString(out_path.string()), image_format, options);
    const double px = format == "png" ? scale : 1.0;
    out["width"] = static_cast<int>(std::ceil(page.width() * px));
    out["height"] = static_cast<int>(std::ceil(page.height() * px));
#else
    throw Error(
        "This beamscope-cli was built without the UI library, so it can render only .dot and "
        ".tex.");
#endif
  }
  std::cout << out.dump() << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"render", "draw a saved tree as PNG, SVG, PDF, DOT or TikZ",
     "--tree tree.json --out FILE.(png|svg|pdf|dot|tex) [--scale 2] [--mode prob|logprob]\n"
     "  [--legend true|false] [--theme light|dark] [--highlight best|none|NODE]\n"
     "  Draws the tree of a session file (Save Session or `decode --out`) the way the\n"
     "  app exports it, without a display. --scale is pixels per point for PNG. DOT\n"
     "  is for Graphviz; .tex is a standalone LaTeX/TikZ document. Prints\n"
     "  {\"out\", \"format\", \"nodes\"} (+ \"width\", \"height\" for images).",
     &run_render});

}  // namespace
}  // namespace beamscope::cli
