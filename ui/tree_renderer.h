#pragma once

#include <QSize>
#include <QString>
#include <limits>
#include <optional>

#include "decoding/token_tree.h"
#include "tree_style.h"

class QPainter;

namespace beamscope::ui {

class TreeScene;

enum class ImageFormat { Png, Svg, Pdf };

// From the file name's extension (case-insensitive); nullopt if not an image.
std::optional<ImageFormat> image_format_for(const QString& path);

struct ExportOptions {
  double png_scale = 2.0;  // device pixels per scene unit (PNG only)
  bool legend = true;
  bool dark = false;
  ProbabilityMode mode = ProbabilityMode::Probability;
  int selected = -1;     // inspected node to ring, -1 = none
  int highlighted = -1;  // result path to highlight, -1 = none
  int max_step = std::numeric_limits<int>::max();
};

// The one tree renderer, with two callers: the GUI's Export and
// `beamscope-cli render`. Builds its own scene from the tree (so exports do not
// depend on the on-screen zoom) and paints it to PNG (raster), SVG or PDF
// (vector, text kept as text). Writes through QSaveFile, so a failed export
// never leaves a half-written file. Returns the page size in scene units;
// throws beamscope::Error naming the file on failure.
QSizeF export_tree_image(const TokenTree& tree, const QString& prompt_text, const QString& path,
                         ImageFormat format, const ExportOptions& options);

// Paints a laid-out scene plus legend into `target` (scene units at 1:1).
// Exposed for tests and the screenshot path.
QSizeF export_page_size(const TreeScene& scene, bool legend);
void paint_export_page(QPainter& painter, TreeScene& scene, bool legend);

}  // namespace beamscope::ui
