#pragma once

#include <QPalette>

namespace beamscope::ui {

// A dark Fusion palette for dark lecture rooms (`beamscope --theme dark`),
// with text contrast kept high. The tree's own dark colours follow from it
// (TreeStyle::for_palette).
QPalette dark_palette();

}  // namespace beamscope::ui
