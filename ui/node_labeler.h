#pragma once

#include <QFontMetricsF>
#include <QHash>
#include <QString>

#include "decoding/token_tree.h"
#include "layout/tree_layout.h"
#include "node_painter.h"
#include "tree_style.h"

namespace beamscope::ui {

// Words and box size of each node: the token, "p 0.42 · path 0.01" (or the
// log-probs), a "×3" badge, measured in the style's fonts.
//
// 20k-node trees: measuring every label with the font engine dominated the
// rebuild. Tokens repeat a lot, so their widths are cached per text; the
// detail line is digits and a few symbols, so it is summed from cached
// per-character advances (no kerning there worth a pixel; one px of slack).
class NodeLabeler {
 public:
  NodeLabeler(const TreeStyle& style, ProbabilityMode mode, const QString& prompt_text);

  // The root shows the end of the prompt.
  NodeLabel label(const TreeNode& node) const;
  NodeSize size(const NodeLabel& label);

 private:
  qreal tokenWidth(const QString& text);
  qreal detailWidth(const QString& text);

  ProbabilityMode mode_;
  QString prompt_text_;
  QFontMetricsF token_metrics_;
  QFontMetricsF detail_metrics_;
  qreal pad_x_;
  qreal height_;
  qreal min_width_;
  QString prob_format_;
  QString log_format_;
  QHash<QString, qreal> token_widths_;
  QHash<char16_t, qreal> detail_advances_;
};

}  // namespace beamscope::ui
