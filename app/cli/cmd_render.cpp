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
#include "layout/tree_filter.h"
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

// --node for the path and subtree views: a node id, or the highlighted node.
int focus_node(const Args& args, const TokenTree& tree, int highlighted) {
  const std::string which = args.get_or("node", "");
  if (which.empty()) return highlighted;
  const std::vector<int> ids = parse_int_list(which, "--node");
  if (ids.size() != 1 || ids[0] < 0 || ids[0] >= tree.size()) {
    throw Error("--node must be a node id below " + std::to_string(tree.size()) + ".");
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
  const Args args(argv, {"tree", "out", "scale", "mode", "legend", "theme", "highlight", "page",
                         "view", "node", "font-scale", "orientation"});
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
  // true/false are the older spellings of auto/none.
  std::string legend = args.get_or("legend", "auto");
  if (legend == "true") legend = "auto";
  if (legend == "false") legend = "none";
  if (legend != "auto" && legend != "all" && legend != "none") {
    throw Error("--legend must be auto, all or none.");
  }
  const std::string view_name = args.get_or("view", "everything");
  const std::optional<TreeFilter> view = parse_tree_filter(view_name);
  if (!view) throw Error("--view must be everything, kept, returned, path or subtree.");
  const std::string orientation = args.get_or("orientation", "auto");
  if (orientation != "auto" && orientation != "right" && orientation != "down") {
    throw Error("--orientation must be auto, right or down.");
  }
  const double font_scale = args.get_double("font-scale", 1.0);
  const std::string page = args.get_or("page", "");

  const Session session = load_session(tree_path);
  const TokenTree& tree = session.tree;
  const int highlighted = highlight_node(args, tree);
  const int focus = focus_node(args, tree, highlighted);
  if (*view == TreeFilter::Subtree && focus < 0) {
    throw Error("--view subtree needs --node N (or a highlighted node).");
  }

  nlohmann::ordered_json out = {
      {"out", out_path.string()}, {"format", format}, {"nodes", tree.size()}};
  if (format == "dot" || format == "tex") {
    if (!page.empty()) throw Error("--page applies to .png, .svg and .pdf.");
    if (format == "dot" && *view != TreeFilter::Everything) {
      throw Error("--view applies to .png, .svg, .pdf and .tex; .dot draws every node.");
    }
    write_file_atomically(out_path, format == "dot"
                                        ? tree_to_dot(tree, session.prompt_text)
                                        : tree_to_tikz(tree, session.prompt_text, *view, focus));
  } else {
#if BEAMSCOPE_HAVE_UI
    headless_app();
    ui::ExportOptions options;
    options.png_scale = scale;
    options.legend = legend != "none";
    options.legend_all = legend == "all";
    options.dark = theme == "dark";
    options.mode = mode == "prob" ? ui::ProbabilityMode::Probability : ui::ProbabilityMode::LogProb;
    options.highlighted = highlighted;
    options.view = *view;
    options.focus = focus;
    options.font_scale = font_scale;
    if (!page.empty()) options.page = ui::parse_page_shape(QString::fromStdString(page));
    if (orientation == "right") options.orientation = LayoutOrientation::LeftToRight;
    if (orientation == "down") options.orientation = LayoutOrientation::TopToBottom;
    const auto image_format = format == "png"   ? ui::ImageFormat::Png
                              : format == "svg" ? ui::ImageFormat::Svg
                                                : ui::ImageFormat::Pdf;
    const ui::ExportResult drawn =
        ui::export_tree_image(tree, QString::fromStdString(session.prompt_text),
                              QString::fromStdString(out_path.string()), image_format, options);
    // Sizes in the file's own units: pixels for PNG, points for SVG and PDF.
    const double px = format == "png" ? scale : 1.0;
    auto round1 = [](double v) { return std::round(v * 10) / 10; };
    out["width"] = static_cast<int>(std::ceil(drawn.page.width() * px));
    out["height"] = static_cast<int>(std::ceil(drawn.page.height() * px));
    out["view"] = std::string(to_string(*view));
    out["orientation"] = drawn.orientation == LayoutOrientation::LeftToRight ? "right" : "down";
    out["shown_nodes"] = drawn.nodes_drawn;
    out["stubs"] = drawn.stubs_drawn;
    out["tree_box"] = {round1(drawn.tree.x() * px), round1(drawn.tree.y() * px),
                       round1(drawn.tree.width() * px), round1(drawn.tree.height() * px)};
    out["token_px"] = round1(drawn.token_px * px);
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
     "  [--theme light|dark] [--highlight best|none|NODE] [--page 16:9|4:3|a4|WxH]\n"
     "  [--view everything|kept|returned|path|subtree] [--node N] [--legend auto|all|none]\n"
     "  [--font-scale 1] [--orientation auto|right|down]\n"
     "  Draws the tree of a session file (Save Session or `decode --out`) the way the\n"
     "  app exports it, without a display. --scale is pixels per point for PNG (a\n"
     "  16:9 page is 960x540 points: --scale 2 gives 1920x1080). --page lays the\n"
     "  tree out for that page and scales it to fill it; --view folds what is not\n"
     "  kept into \"+N\" stubs (path and subtree: of --node, default the highlighted\n"
     "  node); --legend auto lists only the looks drawn. DOT is for Graphviz; .tex is\n"
     "  a standalone LaTeX/TikZ document (it takes --view too). Prints {\"out\", \"format\",\n"
     "  \"nodes\"} (+ width, height, view, orientation, shown_nodes, stubs, tree_box,\n"
     "  token_px for images, in the file's pixels or points).",
     &run_render});

}  // namespace
}  // namespace beamscope::cli
