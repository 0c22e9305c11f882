// beamscope: the desktop app. It reads the command line and starts the
// window; everything else lives in beamscope_ui (start_options.h for the
// options, app_start.h for what they do). `beamscope --help` lists them.
#include <QApplication>
#include <variant>

#include "app_start.h"
#include "start_options.h"

int main(int argc, char** argv) {
  beamscope::ui::name_application();
  beamscope::ui::answer_help_or_version(argc, argv);  // needs no display
  QApplication app(argc, argv);
  const auto options = beamscope::ui::read_command_line(QApplication::arguments());
  if (const int* exit_code = std::get_if<int>(&options)) return *exit_code;
  return beamscope::ui::run_window(std::get<beamscope::ui::StartOptions>(options));
}
