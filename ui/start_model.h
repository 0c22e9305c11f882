#pragma once

#include <QString>

namespace beamscope::ui {

class MainWindow;

// The model a start opens when the command line names none: the last one
// used (a model folder, a GGUF file or a Hugging Face cache snapshot) while
// it is still there, else the bundled one with a sentence saying why.
struct StartModel {
  QString path;
  QString notice;  // for the message bar; empty when nothing to say
  bool from_settings = false;
};
StartModel choose_start_model(const QString& requested);

// Loads the start model in `window`. When the remembered model no longer
// loads, the bundled one is loaded instead; either way the message bar says
// why once the model is ready (the load clears the bar, so it comes after).
void open_start_model(MainWindow& window, const QString& requested);

// "ORG/NAME" for a snapshot of the Hub cache (.../models--ORG--NAME/snapshots/REV),
// else the file or folder name: what the model chooser shows.
QString model_display_name(const QString& path);

}  // namespace beamscope::ui
