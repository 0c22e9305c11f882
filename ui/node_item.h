#pragma once

#include <QGraphicsItem>
#include <QStaticText>

#include "decoding/token_tree.h"

namespace beamscope::ui {

struct TreeStyle;

// One token of the tree: a rounded box with the token (whitespace made
// visible) and a line with its step probability and the cumulative
// probability of its path, plus a thin bar whose length is the step
// probability. The scene owns the data; the item only points at it.
class NodeItem : public QGraphicsItem {
 public:
  enum { Type = UserType + 1 };

  explicit NodeItem(int node_id);
  int type() const override { return Type; }
  int nodeId() const { return node_id_; }

  // Text is laid out once here (QStaticText) and reused for every paint.
  void setContent(const TreeNode* node, const TreeStyle* style, const QString& token,
                  const QString& detail, const QString& badge, QSizeF size);
  void setFocused(bool focused);
  void setHighlighted(bool highlighted);
  bool isFocused() const { return focused_; }
  bool isHighlighted() const { return highlighted_; }
  QSizeF size() const { return size_; }
  QString tokenLabel() const { return token_.text(); }
  QString detailLabel() const { return detail_.text(); }

  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  int node_id_;
  const TreeNode* node_ = nullptr;
  const TreeStyle* style_ = nullptr;
  QStaticText token_;
  QStaticText detail_;
  QString badge_;
  QSizeF size_;
  bool focused_ = false;
  bool highlighted_ = false;
};

}  // namespace beamscope::ui
