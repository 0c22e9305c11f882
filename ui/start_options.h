#pragma once

#include <QSize>
#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "layout/tree_filter.h"
#include "strategy_preset.h"

namespace beamscope::ui {

enum class Theme { Desktop, Light, Dark };

// What `beamscope`'s command line asks for. Values given here are for this
// run only: they are never saved as the user's settings.
struct StartOptions {
  QString model_folder;           // empty: the bundled model
  std::optional<QString> prompt;  // also starts a run once the model is ready
  std::optional<StrategyPreset> preset;
  // Decoding parameters by their DecodeParams name ("num_beams", ...), as given.
  std::vector<std::pair<std::string, double>> param_values;
  int inspect_node = -1;  // select this node once the tree is complete
  QString screenshot;     // write the window here after the first tree, then quit
  bool presentation = false;
  QSize size;  // invalid: the saved size
  Theme theme = Theme::Desktop;
  std::optional<TreeFilter> view;  // View › Show for this run
  bool time_first_tree = false;    // print ms from process start to the first tree drawn

  // Whether the options set anything the settings would otherwise remember.
  bool overridesSettings() const;
  // Whether the window runs the prompt on its own once the model is ready.
  bool autoRun() const { return prompt || !screenshot.isEmpty() || time_first_tree; }
};

// Answers --help and --version (on stdout, then exits) when the command line
// asks; otherwise returns. Needs no display and no QApplication, so it runs
// before the QApplication is made.
void answer_help_or_version(int argc, char** argv);

// Reads the command line (QCoreApplication::arguments(): Qt's own options are
// gone by then). A mistake is told on stderr in one sentence and the result
// is the exit code.
std::variant<StartOptions, int> read_command_line(const QStringList& arguments);

}  // namespace beamscope::ui
