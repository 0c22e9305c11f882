#pragma once

#include <QWidget>
#include <memory>

#include "decoding/distribution_columns.h"
#include "decoding/token_tree.h"

namespace beamscope::ui {

// A node's next-token distribution, stage by stage. One row per listed
// candidate (the top `rowLimit`, independent of the tree's alternatives) and a
// last row for the rest of the mass; one column per sampler stage: the ghost
// bar is the probability entering the stage, the solid bar what leaves it
// (renormalised over the survivors). A token a stage removed is hatched red
// with its entering value struck through; a dashed amber line per stage marks
// where it cut (top-p: where the cumulative mass crosses p), min-p also draws
// its threshold as a vertical line. All columns share one scale (linear or
// log) so temperature's reshaping shows as bars growing or shrinking. Tokens
// the strategy took are marked with a dot. The numbers (columns, rest, cut
// rows) come from core's distribution_columns(); this class only draws.
class DistributionChart : public QWidget {
  Q_OBJECT

 public:
  explicit DistributionChart(QWidget* parent = nullptr);

  // `tree` is kept alive while shown; node < 0 clears the chart.
  void setNode(std::shared_ptr<const TokenTree> tree, int node);
  void setRowLimit(int rows);
  int rowLimit() const { return row_limit_; }
  void setLogScale(bool on);
  bool logScale() const { return log_scale_; }

  int stageCount() const;
  // Listed rows shown (at most rowLimit) plus one for the rest of the mass.
  int rowCount() const;
  // The text printed for row `row`, column `column` (0 = raw p, s + 1 =
  // after stage s); the last row is the rest of the mass.
  QString valueText(int row, int column) const;
  // The row after which column `column` draws its cut line, -1 for none.
  int cutLineRow(int column) const;

  // Every text the chart draws, where it draws it (tests check that none
  // overlap at any size).
  struct Label {
    QRectF rect;
    QString text;
    enum Kind { Title, Note, Token, RemovedToken, Value, Removed, Absent, Footer } kind;
    Qt::Alignment align;
  };
  std::vector<Label> labels() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  struct Geometry;
  Geometry geometry() const;
  int shownRows() const;
  double barFraction(double p) const;
  void rescale();

  std::shared_ptr<const TokenTree> tree_;
  int node_ = -1;
  std::vector<DistributionColumn> columns_;
  double scale_max_ = 1e-9;
  int row_limit_ = 20;
  bool log_scale_ = false;
};

}  // namespace beamscope::ui
