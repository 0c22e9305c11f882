#include "results_panel.h"

#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "token_display.h"
#include "tree_paths.h"

namespace beamscope::ui {

ResultsPanel::ResultsPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  table_ = new QTableWidget(0, 5, this);
  table_->setHorizontalHeaderLabels(
      {tr("#"), tr("generated text"), tr("score"), tr("Σ log p"), tr("samples")});
  table_->horizontalHeaderItem(2)->setToolTip(
      tr("Beam search: sum of log-probs / length^length_penalty (HF sequences_scores). "
         "Greedy and sampling: sum of the log-probs the strategy used."));
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  layout->addWidget(table_);
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
    if (tree_ && row >= 0 && row < static_cast<int>(tree_->sequences.size())) {
      emit sequenceClicked(tree_->sequences[std::size_t(row)].node);
    }
  });
}

int ResultsPanel::sequenceCount() const { return table_->rowCount(); }

void ResultsPanel::setRevealStep(int step) {
  reveal_step_ = step;
  // Beam search chooses its answers at its last step, so they all appear
  // there; a sample or the greedy path at the step that ends it.
  const int decided = tree_ && decided_at_end(*tree_) ? tree_->depth() : -1;
  for (int r = 0; r < table_->rowCount(); ++r) {
    const int end =
        decided >= 0 ? decided : tree_->node(tree_->sequences[std::size_t(r)].node).step;
    table_->setRowHidden(r, end > reveal_step_);
  }
}

int ResultsPanel::revealedCount() const {
  int n = 0;
  for (int r = 0; r < table_->rowCount(); ++r) n += table_->isRowHidden(r) ? 0 : 1;
  return n;
}

void ResultsPanel::setTree(std::shared_ptr<const TokenTree> tree) {
  tree_ = std::move(tree);
  const int rows = tree_ ? static_cast<int>(tree_->sequences.size()) : 0;
  table_->setRowCount(rows);
  for (int r = 0; r < rows; ++r) {
    const ReturnedSequence& s = tree_->sequences[std::size_t(r)];
    auto put = [&](int col, const QString& text, Qt::Alignment align) {
      auto* item = new QTableWidgetItem(text);
      item->setTextAlignment(align);
      item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
      table_->setItem(r, col, item);
    };
    const Qt::Alignment right = Qt::AlignRight | Qt::AlignVCenter;
    put(0, QString::number(r + 1), right);
    put(1, visible_token_text(s.text), Qt::AlignLeft | Qt::AlignVCenter);
    put(2, format_logprob(s.score), right);
    put(3, format_logprob(s.cum_logprob), right);
    put(4, s.count > 0 ? QString::number(s.count) : QString(), right);
  }
  // A new tree is shown whole (playback starts at its depth).
  setRevealStep(std::numeric_limits<int>::max());
}

}  // namespace beamscope::ui
