#include "inspector_widget.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <cmath>

#include "decoding/top_n_note.h"
#include "distribution_chart.h"
#include "token_display.h"
#include "tree_style.h"

namespace beamscope::ui {

namespace {
QTableWidgetItem* cell(const QString& text,
                       Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter) {
  auto* item = new QTableWidgetItem(text);
  item->setTextAlignment(align);
  item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
  return item;
}
}  // namespace

InspectorWidget::InspectorWidget(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  heading_ = new QLabel(this);
  heading_->setTextFormat(Qt::RichText);
  heading_->setWordWrap(true);
  layout->addWidget(heading_);

  path_text_ = new QTextBrowser(this);
  path_text_->setMaximumHeight(90);
  path_text_->setToolTip(
      tr("The full text up to this node: prompt in grey, generated tokens "
         "alternately shaded."));
  layout->addWidget(path_text_);

  numbers_ = new QLabel(this);
  numbers_->setTextFormat(Qt::RichText);
  numbers_->setWordWrap(true);
  numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(numbers_);

  // The chart's own row count, independent of the tree's alternatives per
  // node (the run records distribution_size entries), and its scale.
  auto* chart_bar = new QHBoxLayout;
  chart_bar->addWidget(new QLabel(tr("<b>Next-token distribution</b>, stage by stage"), this), 1);
  chart_ = new DistributionChart(this);
  rows_ = new QSpinBox(this);
  rows_->setRange(1, 1000);
  rows_->setValue(chart_->rowLimit());
  rows_->setPrefix(tr("top "));
  rows_->setToolTip(
      tr("How many of the most likely next tokens the chart lists (the run records the number "
         "set by --distribution-size, 20 by default); the rest of the mass is one last row."));
  chart_bar->addWidget(rows_);
  log_scale_ = new QCheckBox(tr("Log scale"), this);
  log_scale_->setToolTip(tr("Bars on a log scale (five decades), so small probabilities show."));
  chart_bar->addWidget(log_scale_);
  layout->addLayout(chart_bar);
  layout->addWidget(chart_);
  top_n_label_ = new QLabel(this);
  top_n_label_->setWordWrap(true);
  top_n_label_->setVisible(false);
  layout->addWidget(top_n_label_);
  connect(rows_, &QSpinBox::valueChanged, chart_, &DistributionChart::setRowLimit);
  connect(log_scale_, &QCheckBox::toggled, chart_, &DistributionChart::setLogScale);

  auto* table_title = new QLabel(tr("<b>Tokens on this path</b>"), this);
  layout->addWidget(table_title);
  table_ = new QTableWidget(0, 6, this);
  table_->setHorizontalHeaderLabels(
      {tr("step"), tr("token"), tr("p"), tr("cum. p"), tr("rank"), tr("status")});
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  layout->addWidget(table_, 1);
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
    if (row >= 0 && row < static_cast<int>(path_.size()))
      emit nodeRequested(path_[std::size_t(row)]);
  });
  setNode(nullptr, {}, -1);
}

QString InspectorWidget::topNNote() const { return top_n_label_->text(); }

QString InspectorWidget::pathText() const { return path_text_->toPlainText(); }

void InspectorWidget::setNode(std::shared_ptr<const TokenTree> tree, const QString& prompt_text,
                              int node) {
  tree_ = std::move(tree);
  node_ = tree_ && node >= 0 && node < tree_->size() ? node : -1;
  chart_->setNode(tree_, node_);
  top_n_label_->clear();
  if (node_ >= 0 && tree_->node(node_).next.known > 0) {
    const NextTokenDistribution& next = tree_->node(node_).next;
    QString note = tr("From a server: %1.").arg(QString::fromStdString(top_n_note(next)));
    QStringList stages;
    for (const StageCut& cut : next.stages) stages << QString::fromStdString(cut.stage);
    if (!stages.isEmpty()) {
      note += QStringLiteral(" ") +
              QString::fromStdString(
                  top_n_stage_note(next, stages.join(QStringLiteral(", ")).toStdString())) +
              QStringLiteral(".");
    }
    top_n_label_->setText(note);
  }
  top_n_label_->setVisible(!top_n_label_->text().isEmpty());
  path_.clear();
  table_->setRowCount(0);
  if (node_ < 0) {
    heading_->setText(tr("<i>Click a node in the tree (or use the arrow keys) to inspect it.</i>"));
    path_text_->clear();
    numbers_->clear();
    return;
  }
  const TreeNode& n = tree_->node(node_);
  path_ = tree_->path_nodes(node_);

  QString title = n.parent < 0 ? tr("Prompt")
                               : tr("Token <b>%1</b> at step %2")
                                     .arg(visible_token_text(n.text).toHtmlEscaped())
                                     .arg(n.step);
  title += QStringLiteral(" — <i>%1</i>").arg(status_label(n.status).toHtmlEscaped());
  if (const std::string reason = describe_reason(n.reason); !reason.empty()) {
    title += QStringLiteral(" (%1)").arg(QString::fromStdString(reason).toHtmlEscaped());
  }
  if (n.forced) title += tr(" — <b>forced</b> (what if)");
  heading_->setText(title);

  // Path text: prompt grey, generated tokens on alternating backgrounds so
  // token boundaries are visible.
  QString html =
      QStringLiteral("<span style='color:gray'>%1</span>")
          .arg(prompt_text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
  bool shade = false;
  for (int id : path_) {
    const TreeNode& t = tree_->node(id);
    if (t.parent < 0) continue;
    const QString piece =
        utf8_text(t.text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("↵<br>"));
    // Fixed dark text on the light shades keeps it legible in dark palettes too.
    html += QStringLiteral("<span style='background-color:%1;color:#111'><b>%2</b></span>")
                .arg(shade ? QStringLiteral("#cfe0f7") : QStringLiteral("#f7e3c4"), piece);
    shade = !shade;
  }
  path_text_->setHtml(QStringLiteral("<div style='white-space:pre-wrap'>%1</div>").arg(html));

  if (n.parent >= 0) {
    QString nums = tr("p <b>%1</b> (log %2) · used by the strategy: log %3 · path p <b>%4</b> "
                      "(log %5) · rank %6")
                       .arg(format_probability(std::exp(n.logprob)), format_logprob(n.logprob),
                            format_logprob(n.used_logprob), format_probability(n.cum_prob),
                            format_logprob(n.cum_logprob))
                       .arg(n.rank + 1);
    if (!std::isnan(n.beam_sum)) nums += tr(" · beam score %1").arg(format_logprob(n.beam_sum));
    if (n.count > 0) nums += tr(" · %n sample(s) passed here", nullptr, n.count);
    numbers_->setText(nums);
  } else {
    numbers_->setText(tr("%n token(s) generated below this prompt.", nullptr, tree_->size() - 1));
  }

  table_->setRowCount(static_cast<int>(path_.size()));
  for (int row = 0; row < static_cast<int>(path_.size()); ++row) {
    const TreeNode& t = tree_->node(path_[std::size_t(row)]);
    const bool root = t.parent < 0;
    table_->setItem(row, 0, cell(QString::number(t.step)));
    table_->setItem(
        row, 1,
        cell(root ? tr("(prompt)") : visible_token_text(t.text), Qt::AlignLeft | Qt::AlignVCenter));
    table_->setItem(row, 2, cell(root ? QString() : format_probability(std::exp(t.logprob))));
    table_->setItem(row, 3, cell(format_probability(t.cum_prob)));
    table_->setItem(row, 4, cell(root ? QString() : QString::number(t.rank + 1)));
    table_->setItem(row, 5, cell(status_label(t.status), Qt::AlignLeft | Qt::AlignVCenter));
  }
  table_->selectRow(table_->rowCount() - 1);
}

}  // namespace beamscope::ui
