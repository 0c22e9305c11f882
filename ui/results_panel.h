#pragma once

#include <QWidget>
#include <limits>
#include <memory>

#include "decoding/token_tree.h"

class QTableWidget;

namespace beamscope::ui {

// The returned sequences, best first, with their scores. Clicking one asks
// for its path to be highlighted in the tree.
class ResultsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ResultsPanel(QWidget* parent = nullptr);

  void setTree(std::shared_ptr<const TokenTree> tree);
  QTableWidget* table() const { return table_; }
  int sequenceCount() const;
  // Reveal as you go (playback): only the sequences that end at or before
  // `step` are listed; the others come back as playback reaches them.
  void setRevealStep(int step);
  int revealedCount() const;

 signals:
  void sequenceClicked(int node);

 private:
  std::shared_ptr<const TokenTree> tree_;
  QTableWidget* table_;
  int reveal_step_ = std::numeric_limits<int>::max();
};

}  // namespace beamscope::ui
