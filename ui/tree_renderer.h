#pragma once

#include <QSize>
#include <QString>
#include <limits>
#include <optional>

#include "decoding/token_tree.h"
#include "export_page.h"
#include "layout/tree_filter.h"
#include "legend_painter.h"
#include "tree_style.h"

class QPainter;

namespace beamscope::ui {

class TreeScene;

enum class ImageFormat { Png, Svg, Pdf };

// From the file name's extension (case-insensitive); nullopt if not an image.
std::optional<ImageFormat> image_format_for(const QString& path);

struct ExportOptions {
  double png_scale = 2.0;  // device pixels per point (PNG only)
  bool legend = true;
  bool legend_all = false;  // every look, not only those the drawing uses
  bool dark = false;
  ProbabilityMode mode = ProbabilityMode::Probability;
  int selected = -1;     // inspected node to ring, -1 = none
  int highlighted = -1;  // result path to highlight, -1 = none
  int max_step = std::numeric_limits<int>::max();
  TreeFilter view = TreeFilter::Everything;
  int focus = -1;  // the path / subtree view's node; -1 = the highlighted one
  // A page shape (export_page.h) the drawing is laid out and scaled for;
  // none = a page the size of the drawing at 1 point per scene unit.
  std::optional<QSizeF> page;
  double font_scale = 1.0;  // text and boxes grow together
  // None: left to right without a page, whichever fills the page better with one.
  std::optional<LayoutOrientation> orientation;
};

// What an export drew, for callers that report it (beamscope-cli render
// prints it) and for tests that check a slide is filled and legible.
struct ExportResult {
  QSizeF page;          // points
  qreal fit_scale = 1;  // points per scene unit
  QRectF tree;          // the tree's laid-out box on the page, points
  qreal token_px = 0;   // token text height on the page, points
  LayoutOrientation orientation = LayoutOrientation::LeftToRight;
  int nodes_drawn = 0;
  int stubs_drawn = 0;
};

// The one tree renderer, with two callers: the GUI's Export and
// `beamscope-cli render`. Builds its own scene from the tree (so exports do not
// depend on the on-screen zoom) and paints it to PNG (raster), SVG or PDF
// (vector, text kept as text). Writes through QSaveFile, so a failed export
// never leaves a half-written file. Throws beamscope::Error naming the file
// on failure.
ExportResult export_tree_image(const TokenTree& tree, const QString& prompt_text,
                               const QString& path, ImageFormat format,
                               const ExportOptions& options);

// The looks a laid-out scene uses, for a legend that lists only those.
LegendItems legend_items_in(const TreeScene& scene);

// The page plan for a scene laid out as it will be drawn.
PagePlan export_plan(const TreeScene& scene, const ExportOptions& options);
// Paints the scene and its legend onto a page as planned (points at 1:1).
void paint_export_page(QPainter& painter, TreeScene& scene, const PagePlan& plan,
                       const LegendItems& items);

}  // namespace beamscope::ui
