#pragma once

#include <QIcon>
#include <QPalette>

namespace beamscope::ui {

// The Run and Cancel buttons' icons, drawn in the palette's button text
// colour. The style's own media icons are black whatever the theme, so on
// the dark palette the Run button was black on dark grey; these follow the
// palette (MainWindow redraws them when it changes).
QIcon run_icon(const QPalette& palette);
QIcon cancel_icon(const QPalette& palette);

}  // namespace beamscope::ui
