#pragma once

#include "start_options.h"

namespace beamscope::ui {

class MainWindow;

// Sets the names QSettings and --version use. Needs no QApplication.
void name_application();

// Puts the command line's prompt, strategy, parameters and size on the
// window, over what the settings restored.
void apply_options(MainWindow& window, const StartOptions& options);

// Starts the window the command line asked for and runs the event loop;
// returns the exit code. Needs the QApplication. Options that set what the
// settings remember (model, prompt, strategy, parameters, size) are for this
// run only: the run then keeps its settings in a scratch copy.
int run_window(const StartOptions& options);

}  // namespace beamscope::ui
