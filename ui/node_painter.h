#pragma once

#include <QColor>
#include <QStaticText>
#include <QString>

#include "decoding/token_tree.h"

class QPainter;
class QRectF;

namespace beamscope::ui {

struct TreeStyle;

// Below these zoom levels text is unreadable anyway: skip it (20k-node trees).
constexpr qreal kLodNoText = 0.3;
constexpr qreal kLodNoDetail = 0.5;
// Room around a box for the focus and highlight rings.
constexpr qreal kNodeOutline = 6.0;

// What one node's box says: the token (whitespace made visible), a line
// with its step and path probability, and a repeat badge ("×3") or nothing.
struct NodeLabel {
  QString token;
  QString detail;
  QString badge;
};

// A token or detail line as plain text (never rich text), for QStaticText.
QStaticText plain_static_text(const QString& text);

// The label's text laid out once (QStaticText) and reused for every paint.
struct NodeText {
  explicit NodeText(const NodeLabel& label);
  // With the token line given, e.g. a copy of one already laid out: copies
  // of a QStaticText share its layout.
  NodeText(const QStaticText& token_text, const NodeLabel& label);
  // With both lines given (copies of lines laid out before).
  NodeText(const QStaticText& token_text, const QStaticText& detail_text, const QString& badge);
  QStaticText token;
  QStaticText detail;
  QString badge;
};

// The solid colour a node is reduced to below kLodNoText.
QColor node_block_colour(const TreeNode& node, const TreeStyle& style, bool focused,
                         bool highlighted, bool undecided = false);

// Draws one node's box at `box` (scene units) the same way wherever it is
// drawn: by the batched NodesItem, by a NodeItem, on screen or in an export.
// `lod` is the painter's level of detail; `text` may be null below kLodNoText.
// `undecided`: beam search has not chosen its answers yet (TreeScene::
// isUndecided), so a returned node looks finished (shown_status).
void paint_node(QPainter& painter, const QRectF& box, const TreeNode& node, const TreeStyle& style,
                const NodeText* text, bool focused, bool highlighted, qreal lod,
                bool undecided = false);

// Draws a stub ("+12 alternatives"): a dashed pill with one line of words
// in the detail font, standing for a parent's folded children.
void paint_stub(QPainter& painter, const QRectF& box, const TreeStyle& style, const NodeText* text,
                qreal lod);

}  // namespace beamscope::ui
