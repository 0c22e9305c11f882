#pragma once

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QPalette>
#include <QPen>
#include <QString>

#include "decoding/token_tree.h"

namespace beamscope::ui {

enum class ProbabilityMode { Probability, LogProb };

// How one node status looks, as Qt paints it (the colours are the core's
// TreePalette, layout/tree_palette.h).
struct StatusLook {
  QColor fill;
  QColor border;
  QColor text;
  Qt::PenStyle border_style = Qt::SolidLine;
  qreal border_width = 1.5;
  // Built once from the fields above (TreeStyle::finish) so painting never
  // allocates a pen or brush per node per frame.
  QPen pen;
  QBrush brush;
  QPen text_pen;
};

// Colours and fonts of the tree drawing. Two palettes (TreePalette::light for
// export and light desktops, TreePalette::dark for dark desktops); `scale`
// grows fonts and boxes for presentation mode.
struct TreeStyle {
  QColor background;
  QColor edge;        // edge colour for taken paths
  QColor faint_edge;  // edges to alternatives / pruned candidates
  QColor highlight;   // path of a clicked result
  QColor focus;       // the node the inspector shows
  QColor forced;      // "what if" marker
  QColor legend_text;
  StatusLook root, selected, alternative, pruned, finished, returned;
  // Pixel-sized fonts: a scene unit is a device unit on screen, in PNG, SVG and
  // PDF alike, so text fits its box in every output.
  QFont token_font;
  QFont detail_font;
  qreal token_line_height = 0;  // from the fonts, set by finish()
  qreal detail_line_height = 0;
  double scale = 1.0;
  bool dark = false;

  QPen highlight_pen;  // outline of a highlighted path node
  QPen focus_pen;      // outline of the inspected node

  const StatusLook& look(NodeStatus status) const;
  // Builds the cached pens and brushes; call after changing colours.
  void finish();

  static TreeStyle light(double scale = 1.0);
  static TreeStyle dark_style(double scale = 1.0);
  // Light or dark, whichever matches the palette's window colour.
  static TreeStyle for_palette(const QPalette& palette, double scale = 1.0);
};

// Words a lecturer would use for a status (legend, inspector).
QString status_label(NodeStatus status);

// The status a node is drawn with. While beam search has not chosen its
// answers (a live run, playback before the last step) a finished hypothesis
// may still be returned or dropped: Returned is drawn as Finished then.
NodeStatus shown_status(NodeStatus status, bool undecided);
// The legend's and tooltip's words for a finished node before that choice.
QString undecided_finished_label();

}  // namespace beamscope::ui
