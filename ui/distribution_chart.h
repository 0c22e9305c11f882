#pragma once

#include <QWidget>
#include <memory>

#include "decoding/token_tree.h"

namespace beamscope::ui {

// A node's next-token distribution, stage by stage. One row per listed
// candidate, one column per sampler stage: the ghost bar is the probability
// entering the stage, the solid bar what leaves it (renormalised over the
// survivors), red hatching where the stage removed the token. Min-p draws its
// threshold as a dashed line, top-p a line under the kept mass. All columns
// share one scale so temperature's reshaping is visible as bars growing or
// shrinking. Tokens the strategy took are marked with a dot.
class DistributionChart : public QWidget {
  Q_OBJECT

 public:
  explicit DistributionChart(QWidget* parent = nullptr);

  // `tree` is kept alive while shown; node < 0 clears the chart.
  void setNode(std::shared_ptr<const TokenTree> tree, int node);
  int stageCount() const;
  int rowCount() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  std::shared_ptr<const TokenTree> tree_;
  int node_ = -1;
};

}  // namespace beamscope::ui
