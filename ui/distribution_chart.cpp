#include "distribution_chart.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "token_display.h"

namespace beamscope::ui {

namespace {
constexpr int kPad = 6;

// Sizes follow the widget's font, so presentation mode's larger font gets a
// larger chart instead of overlapping text.
struct ChartMetrics {
  int row;
  int header;
  int footer;
  int token_column;
  int number;  // room for the value printed after each bar
};

ChartMetrics metrics_for(const QFont& font) {
  const QFontMetrics fm(font);
  const int line = fm.height();
  return {line + 6, 2 * line + 8, line + 4,
          std::max(96, fm.horizontalAdvance(QObject::tr("next token")) + 2 * kPad),
          fm.horizontalAdvance(QStringLiteral("0.000")) + 4};
}

// A stage as the chart titles it: its name (sampler_stage_names()) as people
// write it, top_k -> top-k.
QString stage_title(const std::string& stage) {
  return QString::fromStdString(stage).replace(QLatin1Char('_'), QLatin1Char('-'));
}
}  // namespace

DistributionChart::DistributionChart(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
  setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void DistributionChart::setNode(std::shared_ptr<const TokenTree> tree, int node) {
  tree_ = std::move(tree);
  node_ = tree_ && node >= 0 && node < tree_->size() ? node : -1;
  updateGeometry();
  update();
}

int DistributionChart::stageCount() const {
  return node_ < 0 ? 0 : static_cast<int>(tree_->node(node_).next.stages.size());
}

int DistributionChart::rowCount() const {
  return node_ < 0 ? 0 : static_cast<int>(tree_->node(node_).next.token_ids.size());
}

QSize DistributionChart::sizeHint() const {
  const ChartMetrics m = metrics_for(font());
  return {m.token_column + (m.number + 90) * (1 + stageCount()),
          m.header + m.row * std::max(1, rowCount()) + m.footer + kPad};
}

QSize DistributionChart::minimumSizeHint() const {
  const ChartMetrics m = metrics_for(font());
  return {m.token_column + (m.number + 30) * (1 + stageCount()),
          m.header + m.row * std::max(1, rowCount()) + m.footer + kPad};
}

void DistributionChart::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing, true);
  const QPalette pal = palette();
  painter.fillRect(rect(), pal.base());
  if (node_ < 0 || tree_->node(node_).next.empty()) {
    painter.setPen(pal.color(QPalette::PlaceholderText));
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                     node_ < 0 ? tr("Select a node to see its next-token distribution.")
                               : tr("No distribution was recorded for this node."));
    return;
  }
  const TreeNode& node = tree_->node(node_);
  const NextTokenDistribution& d = node.next;
  const ChartMetrics m = metrics_for(font());
  const int row_h = m.row;
  const int header_h = m.header;
  const int footer_h = m.footer;
  const int token_col = m.token_column;
  const int rows = static_cast<int>(d.token_ids.size());
  const int columns = 1 + static_cast<int>(d.stages.size());
  const qreal col_w = (width() - token_col - kPad) / qreal(columns);

  // Column values: raw probabilities, then each stage's output.
  std::vector<std::vector<double>> values(static_cast<std::size_t>(columns));
  for (int r = 0; r < rows; ++r) values[0].push_back(std::exp(double(d.logprobs[std::size_t(r)])));
  for (std::size_t s = 0; s < d.stages.size(); ++s) {
    for (int r = 0; r < rows; ++r) {
      const auto& probs = d.stages[s].probs;
      values[s + 1].push_back(std::size_t(r) < probs.size() ? double(probs[std::size_t(r)]) : 0.0);
    }
  }
  double scale_max = 1e-9;
  for (const auto& col : values) {
    for (double v : col) scale_max = std::max(scale_max, v);
  }

  const QColor text = pal.color(QPalette::Text);
  const QColor faint = pal.color(QPalette::PlaceholderText);
  const bool dark = pal.color(QPalette::Base).lightnessF() < 0.5;
  const QColor kept = dark ? QColor(0x6C, 0xA6, 0xF0) : QColor(0x2B, 0x6C, 0xC4);
  const QColor removed = dark ? QColor(0xF0, 0x6E, 0x6E) : QColor(0xC6, 0x3C, 0x3C);
  const QColor threshold = dark ? QColor(0xFF, 0xB3, 0x3B) : QColor(0xC7, 0x7C, 0x02);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);

  // Header: column titles.
  painter.setPen(text);
  QFont bold = font();
  bold.setBold(true);
  painter.setFont(bold);
  painter.drawText(QRectF(kPad, 0, token_col, header_h), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("next token"));
  for (int c = 0; c < columns; ++c) {
    const QRectF cell(token_col + c * col_w, 0, col_w - kPad, header_h / 2.0 + 4);
    painter.setFont(bold);
    painter.drawText(cell, Qt::AlignLeft | Qt::AlignBottom,
                     c == 0 ? tr("raw p") : stage_title(d.stages[std::size_t(c - 1)].stage));
    if (c > 0) {
      painter.setFont(small);
      painter.setPen(faint);
      const StageCut& cut = d.stages[std::size_t(c - 1)];
      painter.drawText(QRectF(cell.left(), cell.bottom(), cell.width(), header_h / 2.0 - 4),
                       Qt::AlignLeft | Qt::AlignTop, tr("%1 kept").arg(cut.kept_total));
      painter.setPen(text);
    }
  }

  // Rows.
  std::vector<char> taken(static_cast<std::size_t>(rows), 0);
  for (int child : node.children) {
    const TreeNode& c = tree_->node(child);
    const bool on_path = is_taken(c.status);
    for (int r = 0; r < rows; ++r) {
      if (d.token_ids[std::size_t(r)] == c.token_id && on_path) taken[std::size_t(r)] = 1;
    }
  }
  const qreal bar_h = row_h - 7.0;
  for (int r = 0; r < rows; ++r) {
    const qreal y = header_h + r * row_h;
    if (r % 2 == 1) painter.fillRect(QRectF(0, y, width(), row_h), pal.alternateBase());
    painter.setFont(font());
    painter.setPen(text);
    const QString label = (taken[std::size_t(r)] ? QStringLiteral("● ") : QStringLiteral("   ")) +
                          visible_token_text(std::size_t(r) < d.texts.size()
                                                 ? std::string_view(d.texts[std::size_t(r)])
                                                 : std::string_view());
    painter.drawText(QRectF(kPad, y, token_col - kPad, row_h), Qt::AlignLeft | Qt::AlignVCenter,
                     painter.fontMetrics().elidedText(label, Qt::ElideRight, token_col - kPad));
    for (int c = 0; c < columns; ++c) {
      const qreal x0 = token_col + c * col_w;
      const qreal span = std::max<qreal>(4, col_w - kPad - m.number);  // room for the number
      const double out = values[std::size_t(c)][std::size_t(r)];
      const double in = c == 0 ? out : values[std::size_t(c - 1)][std::size_t(r)];
      const QRectF ghost(x0, y + 3.5, span * in / scale_max, bar_h);
      const QRectF solid(x0, y + 3.5, span * out / scale_max, bar_h);
      const bool was_removed = c > 0 && in > 0 && out <= 0;
      const bool absent = c > 0 && in <= 0;  // removed by an earlier stage
      if (c > 0 && !absent) {
        painter.setPen(QPen(faint, 1, Qt::DotLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(ghost);
      }
      if (was_removed) {
        painter.fillRect(ghost, QBrush(removed, Qt::BDiagPattern));
      } else if (!absent) {
        painter.fillRect(solid, kept);
      }
      painter.setFont(small);
      painter.setPen(was_removed ? removed : absent ? faint : text);
      const QString number = absent        ? QStringLiteral("·")
                             : was_removed ? QStringLiteral("✕")
                                           : format_probability(out);
      painter.drawText(QRectF(x0 + span + 2, y, m.number, row_h), Qt::AlignLeft | Qt::AlignVCenter,
                       number);
    }
  }

  // Thresholds, in the scale of the probabilities entering the stage.
  const qreal rows_bottom = header_h + rows * row_h;
  for (std::size_t s = 0; s < d.stages.size(); ++s) {
    const StageCut& cut = d.stages[s];
    if (std::isnan(cut.threshold)) continue;
    const qreal x0 = token_col + qreal(s + 1) * col_w;
    const qreal span = std::max<qreal>(4, col_w - kPad - m.number);
    painter.setFont(small);
    if (cut.stage == "top_p") {
      // The kept mass: a line under the last surviving row.
      int last_kept = -1;
      for (int r = 0; r < rows; ++r) {
        if (std::size_t(r) < cut.probs.size() && cut.probs[std::size_t(r)] > 0) last_kept = r;
      }
      const qreal y = header_h + (last_kept + 1) * row_h;
      painter.setPen(QPen(threshold, 2, Qt::DashLine));
      painter.drawLine(QPointF(x0, y), QPointF(x0 + col_w - kPad, y));
      painter.drawText(QRectF(x0, y - row_h + 2, col_w - kPad, row_h),
                       Qt::AlignRight | Qt::AlignBottom,
                       tr("mass %1").arg(format_probability(cut.threshold)));
    } else {
      // A probability cut (min-p: min_p × p_max) as a vertical line.
      const qreal x = x0 + span * std::min(1.0, cut.threshold / scale_max);
      painter.setPen(QPen(threshold, 2, Qt::DashLine));
      painter.drawLine(QPointF(x, header_h), QPointF(x, rows_bottom));
      painter.drawText(QRectF(x0, rows_bottom, col_w - kPad, footer_h),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       tr("cut %1").arg(format_probability(cut.threshold)));
    }
  }
}

}  // namespace beamscope::ui
