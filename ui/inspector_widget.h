#pragma once

#include <QWidget>
#include <memory>

#include "decoding/token_tree.h"

class QCheckBox;
class QLabel;
class QSpinBox;
class QTableWidget;
class QTextBrowser;

namespace beamscope::ui {

class DistributionChart;

// Everything about the selected node: the full text of its path, a table of
// the path's tokens (p, cumulative p, rank, status), its numbers (raw and
// strategy log-prob, beam score, sample count, why it has its status) and the
// stage-by-stage chart of its next-token distribution.
class InspectorWidget : public QWidget {
  Q_OBJECT

 public:
  explicit InspectorWidget(QWidget* parent = nullptr);

  void setNode(std::shared_ptr<const TokenTree> tree, const QString& prompt_text, int node);
  int node() const { return node_; }
  QString pathText() const;
  QTableWidget* pathTable() const { return table_; }
  DistributionChart* chart() const { return chart_; }
  // What is approximate about the node's distribution (a server's top-N);
  // empty for a dense one.
  QString topNNote() const;
  QSpinBox* chartRows() const { return rows_; }
  QCheckBox* chartLogScale() const { return log_scale_; }

 signals:
  // A row of the path table was clicked: select that node in the tree.
  void nodeRequested(int node);

 private:
  std::shared_ptr<const TokenTree> tree_;
  std::vector<int> path_;
  int node_ = -1;
  QLabel* heading_;
  QTextBrowser* path_text_;
  QLabel* numbers_;
  QTableWidget* table_;
  DistributionChart* chart_;
  QLabel* top_n_label_;
  QSpinBox* rows_;
  QCheckBox* log_scale_;
};

}  // namespace beamscope::ui
