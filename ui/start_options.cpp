#include "start_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStringList>
#include <cstdio>

#include "decoding/decode_param_spec.h"

namespace beamscope::ui {

namespace {

// The decoding parameters the window takes from the command line: option
// name, DecodeParams name, value name, help.
struct ParamOption {
  const char* option;
  const char* param;  // the entry of the parameter table: its help, its range
  const char* value_name;
};
constexpr ParamOption kParamOptions[] = {
    {"beams", "num_beams", "N"},         {"max-new-tokens", "max_new_tokens", "N"},
    {"samples", "num_samples", "N"},     {"alternatives", "alternatives", "N"},
    {"temperature", "temperature", "T"}, {"min-p", "min_p", "P"},
    {"top-k", "top_k", "K"},             {"top-p", "top_p", "P"},
};

QString q(const char* text) { return QString::fromUtf8(text); }

int fail(const QString& message) {
  std::fprintf(stderr, "%s\n", qPrintable(message));
  return 1;
}

// The options of `beamscope`, declared once for both readings of the
// command line (before and after the QApplication exists).
struct OptionSet {
  QCommandLineParser parser;
  QCommandLineOption help, version;
  QCommandLineOption model{
      {q("m"), q("model")}, q("Model folder (default: the bundled model)."), q("DIR")};
  QCommandLineOption prompt{{q("p"), q("prompt")}, q("Prompt to run at start."), q("TEXT")};
  QCommandLineOption strategy{q("strategy"), preset_names() + q("."), q("NAME")};
  QCommandLineOption inspect{q("inspect"), q("Select this node id once the tree is complete."),
                             q("NODE")};
  QCommandLineOption screenshot{
      q("screenshot"), q("Write the window to FILE once the first tree is complete, then quit."),
      q("FILE")};
  QCommandLineOption presentation{q("presentation"), q("Start in presentation mode.")};
  QCommandLineOption size{q("size"), q("Window size, e.g. 1600x1000."), q("WxH")};
  QCommandLineOption theme{q("theme"), q("light or dark (default: the desktop's palette)."),
                           q("NAME")};
  QCommandLineOption view{
      q("view"), q("everything, kept or returned: what of the tree is drawn (View > Show)."),
      q("NAME")};
  QCommandLineOption time_first_tree{
      q("time-first-tree"),
      q("Print the ms from process start to the first tree drawn, then quit.")};
  std::vector<QCommandLineOption> params;

  OptionSet() : help(parser.addHelpOption()), version(parser.addVersionOption()) {
    parser.setApplicationDescription(
        q("See how a language model picks its next tokens. Options that set the prompt, model, "
          "strategy, parameters or window size are for this run only: they are not saved."));
    parser.addOptions({model, prompt, strategy, inspect, screenshot, presentation, size, theme,
                       view, time_first_tree});
    for (const ParamOption& p : kParamOptions) {
      const std::string_view help = decode_param_spec(p.param).help;
      params.emplace_back(q(p.option), QString::fromUtf8(help.data(), qsizetype(help.size())),
                          q(p.value_name));
      parser.addOption(params.back());
    }
  }
};

}  // namespace

bool StartOptions::overridesSettings() const {
  return !model_folder.isEmpty() || prompt || preset || !param_values.empty() || size.isValid();
}

void answer_help_or_version(int argc, char** argv) {
  OptionSet options;
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  // Qt's own options (-platform, -style …) are unknown here and ignored:
  // only help and version are answered now.
  options.parser.parse(args);
  if (options.parser.isSet(options.help) || options.parser.isSet(QStringLiteral("help-all")) ||
      options.parser.isSet(options.version)) {
    QCoreApplication app(argc, argv);
    options.parser.process(app);  // prints the answer and exits
  }
}

std::variant<StartOptions, int> read_command_line(const QStringList& arguments) {
  OptionSet set;
  QCommandLineParser& parser = set.parser;
  if (!parser.parse(arguments)) return fail(parser.errorText());
  StartOptions out;
  out.model_folder = parser.value(set.model);
  if (parser.isSet(set.prompt)) out.prompt = parser.value(set.prompt);
  if (parser.isSet(set.strategy)) {
    out.preset = parse_preset(parser.value(set.strategy));
    if (!out.preset) {
      return fail(
          q("Unknown strategy '%1'; use %2.").arg(parser.value(set.strategy), preset_names()));
    }
  }
  for (std::size_t i = 0; i < set.params.size(); ++i) {
    if (!parser.isSet(set.params[i])) continue;
    bool ok = false;
    const double value = parser.value(set.params[i]).toDouble(&ok);
    if (!ok) {
      return fail(q("--%1 needs a number, not '%2'.")
                      .arg(q(kParamOptions[i].option), parser.value(set.params[i])));
    }
    // Out of range: the core's sentence, as beamscope-cli gives it.
    const std::string range_error =
        param_range_error(decode_param_spec(kParamOptions[i].param), value);
    if (!range_error.empty()) return fail(QString::fromStdString(range_error));
    out.param_values.emplace_back(kParamOptions[i].param, value);
  }
  if (parser.isSet(set.inspect)) {
    bool ok = false;
    out.inspect_node = parser.value(set.inspect).toInt(&ok);
    if (!ok || out.inspect_node < 0) {
      return fail(
          q("--inspect needs a node id (0 or more), not '%1'.").arg(parser.value(set.inspect)));
    }
  }
  out.screenshot = parser.value(set.screenshot);
  out.presentation = parser.isSet(set.presentation);
  if (parser.isSet(set.size)) {
    const QStringList wh = parser.value(set.size).split(QLatin1Char('x'));
    bool w_ok = false, h_ok = false;
    if (wh.size() == 2) out.size = QSize(wh[0].toInt(&w_ok), wh[1].toInt(&h_ok));
    if (!w_ok || !h_ok || out.size.isEmpty()) {
      return fail(q("--size must be WIDTHxHEIGHT in pixels, e.g. 1600x1000, not '%1'.")
                      .arg(parser.value(set.size)));
    }
  }
  if (parser.isSet(set.theme)) {
    const QString name = parser.value(set.theme);
    if (name != q("light") && name != q("dark")) {
      return fail(q("Unknown theme '%1'; use light or dark.").arg(name));
    }
    out.theme = name == q("dark") ? Theme::Dark : Theme::Light;
  }
  if (parser.isSet(set.view)) {
    const QString name = parser.value(set.view);
    const auto filter = parse_tree_filter(name.toStdString());
    if (!filter || (*filter != TreeFilter::Everything && *filter != TreeFilter::Kept &&
                    *filter != TreeFilter::Returned)) {
      return fail(q("Unknown view '%1'; use everything, kept or returned.").arg(name));
    }
    out.view = filter;
  }
  out.time_first_tree = parser.isSet(set.time_first_tree);
  return out;
}

}  // namespace beamscope::ui
