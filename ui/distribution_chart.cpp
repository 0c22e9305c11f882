#include "distribution_chart.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

#include "token_display.h"

namespace beamscope::ui {

namespace {
constexpr int kPad = 6;
constexpr int kMinBar = 12;  // the narrowest bar span a column keeps
// The log scale spans five decades below the largest value.
constexpr double kLogDecades = 5.0;

// A stage as the chart titles it: its name (sampler_stage_names()) as people
// write it, top_k -> top-k.
QString stage_title(const std::string& stage) {
  return QString::fromStdString(stage).replace(QLatin1Char('_'), QLatin1Char('-'));
}

QFont small_font(const QFont& font) {
  QFont small = font;
  small.setPointSizeF(font.pointSizeF() * 0.85);
  return small;
}
}  // namespace

// Sizes follow the widget's font, so presentation mode's larger font gets a
// larger chart instead of overlapping text.
struct DistributionChart::Geometry {
  int row = 0;
  int header = 0;
  int footer = 0;
  int token_column = 0;
  int number = 0;  // room for the value printed after each bar
  int columns = 0;
  qreal column_width = 0;
  qreal span = 0;  // bar length for the largest value
  qreal x0(int column) const { return token_column + column * column_width; }
};

DistributionChart::Geometry DistributionChart::geometry() const {
  const QFontMetrics fm(font());
  const QFontMetrics small(small_font(font()));
  Geometry g;
  const int line = fm.height();
  g.row = line + 6;
  g.header = 2 * line + 8;
  g.footer = small.height() + 6;
  QFont bold = font();
  bold.setBold(true);  // the column's title is bold
  g.token_column = std::max(72, QFontMetrics(bold).horizontalAdvance(tr("next token")) + 3 * kPad);
  g.number = small.horizontalAdvance(QStringLiteral("0.00123")) + 4;
  g.columns = 1 + stageCount();
  g.column_width = std::max<qreal>(kMinBar + g.number + kPad,
                                   (width() - g.token_column - kPad) / qreal(g.columns));
  g.span = g.column_width - kPad - g.number;
  return g;
}

DistributionChart::DistributionChart(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void DistributionChart::setNode(std::shared_ptr<const TokenTree> tree, int node) {
  tree_ = std::move(tree);
  node_ = tree_ && node >= 0 && node < tree_->size() ? node : -1;
  columns_ =
      node_ < 0 ? std::vector<DistributionColumn>{} : distribution_columns(tree_->node(node_).next);
  rescale();
  updateGeometry();
  update();
}

void DistributionChart::setRowLimit(int rows) {
  row_limit_ = std::max(1, rows);
  rescale();
  updateGeometry();
  update();
}

void DistributionChart::setLogScale(bool on) {
  log_scale_ = on;
  update();
}

// One scale for every column: the largest listed value shown. The rest of
// the mass is not part of it (a flat distribution's rest would shrink every
// token to a sliver); its bar stops at the column's end when it is larger.
void DistributionChart::rescale() {
  scale_max_ = 1e-9;
  const std::size_t shown = std::size_t(shownRows());
  for (const DistributionColumn& c : columns_) {
    for (std::size_t r = 0; r < shown; ++r) scale_max_ = std::max(scale_max_, c.probs[r]);
  }
}

int DistributionChart::stageCount() const {
  return node_ < 0 ? 0 : static_cast<int>(tree_->node(node_).next.stages.size());
}

int DistributionChart::shownRows() const {
  if (columns_.empty()) return 0;
  return std::min(row_limit_, static_cast<int>(columns_[0].probs.size()));
}

int DistributionChart::rowCount() const { return shownRows() == 0 ? 0 : shownRows() + 1; }

double DistributionChart::barFraction(double p) const {
  if (p <= 0) return 0;
  if (!log_scale_) return std::min(1.0, p / scale_max_);
  const double decades = std::log10(p / scale_max_) + kLogDecades;  // 0 .. kLogDecades
  return std::clamp(decades / kLogDecades, 0.01, 1.0);
}

QString DistributionChart::valueText(int row, int column) const {
  const int shown = shownRows();
  if (row < 0 || row > shown || column < 0 || column >= int(columns_.size())) return {};
  const auto value = [&](int c) {
    const DistributionColumn& col = columns_[std::size_t(c)];
    return row == shown ? col.mass_beyond(std::size_t(shown)) : col.probs[std::size_t(row)];
  };
  const double out = value(column);
  const double in = column == 0 ? out : value(column - 1);
  if (column > 0 && in <= 0) return QStringLiteral("·");        // gone before this stage
  if (column > 0 && out <= 0) return format_probability_3(in);  // drawn struck through
  return format_probability_3(out);
}

int DistributionChart::cutLineRow(int column) const {
  if (column <= 0 || column >= int(columns_.size())) return -1;
  const int cut = columns_[std::size_t(column)].cut_row;
  return cut > 0 && cut < shownRows() ? cut : -1;
}

std::vector<DistributionChart::Label> DistributionChart::labels() const {
  std::vector<Label> out;
  if (columns_.empty() || shownRows() == 0) return out;
  const Geometry g = geometry();
  const NextTokenDistribution& d = tree_->node(node_).next;
  const TreeNode& node = tree_->node(node_);
  const QFontMetrics fm(font());
  const QFontMetrics small(small_font(font()));
  const auto add = [&](QRectF rect, QString text, Label::Kind kind, Qt::Alignment align,
                       const QFontMetrics& metrics) {
    text = metrics.elidedText(text, Qt::ElideRight, int(rect.width()));
    out.push_back({rect, text, kind, align});
  };

  const qreal title_h = g.header / 2.0 + 4;
  add(QRectF(kPad, 0, g.token_column - 2 * kPad, title_h), tr("next token"), Label::Title,
      Qt::AlignLeft | Qt::AlignBottom, fm);
  for (int c = 0; c < g.columns; ++c) {
    const QRectF cell(g.x0(c), 0, g.column_width - kPad, title_h);
    add(cell, c == 0 ? tr("raw p") : stage_title(d.stages[std::size_t(c - 1)].stage), Label::Title,
        Qt::AlignLeft | Qt::AlignBottom, fm);
    if (c > 0) {
      add(QRectF(cell.left(), cell.bottom(), cell.width(), g.header - title_h),
          tr("%1 kept").arg(d.stages[std::size_t(c - 1)].kept_total), Label::Note,
          Qt::AlignLeft | Qt::AlignTop, small);
    }
  }

  const int shown = shownRows();
  for (int r = 0; r <= shown; ++r) {
    const qreal y = g.header + r * g.row;
    QString token;
    if (r == shown) {
      token = tr("the rest");
    } else {
      bool taken = false;
      for (int child : node.children) {
        const TreeNode& c = tree_->node(child);
        taken = taken || (c.token_id == d.token_ids[std::size_t(r)] && is_taken(c.status));
      }
      token = (taken ? QStringLiteral("● ") : QStringLiteral("   ")) +
              visible_token_text(std::size_t(r) < d.texts.size()
                                     ? std::string_view(d.texts[std::size_t(r)])
                                     : std::string_view());
    }
    // A token the last stage removed is greyed: the strategy could not pick it.
    const bool gone =
        r < shown && columns_.size() > 1 && columns_.back().probs[std::size_t(r)] <= 0;
    add(QRectF(kPad, y, g.token_column - 2 * kPad, g.row), token,
        gone ? Label::RemovedToken : Label::Token, Qt::AlignLeft | Qt::AlignVCenter, fm);
    for (int c = 0; c < g.columns; ++c) {
      const auto value = [&](int col) {
        const DistributionColumn& column = columns_[std::size_t(col)];
        return r == shown ? column.mass_beyond(std::size_t(shown)) : column.probs[std::size_t(r)];
      };
      const double o = value(c);
      const double i = c == 0 ? o : value(c - 1);
      const Label::Kind kind = c > 0 && i <= 0   ? Label::Absent
                               : c > 0 && o <= 0 ? Label::Removed
                                                 : Label::Value;
      add(QRectF(g.x0(c) + g.span + 2, y, g.number - 2, g.row), valueText(r, c), kind,
          Qt::AlignLeft | Qt::AlignVCenter, small);
    }
  }

  // Footer: what each stage's cut was, under its column.
  const qreal footer_y = g.header + (shown + 1) * g.row;
  for (std::size_t s = 0; s < d.stages.size(); ++s) {
    const StageCut& cut = d.stages[s];
    const DistributionColumn& col = columns_[s + 1];
    QString text;
    if (cut.stage == "top_p" && col.cut_row > 0) {
      text = tr("mass %1").arg(format_probability_3(col.mass_at_cut));
    } else if (!std::isnan(cut.threshold) && cut.stage != "top_p") {
      text = tr("cut %1").arg(format_probability_3(cut.threshold));
    } else if (col.cut_row > 0) {
      text = tr("cut after row %1").arg(col.cut_row);
    }
    if (text.isEmpty()) continue;
    add(QRectF(g.x0(int(s) + 1), footer_y, g.column_width - kPad, g.footer), text, Label::Footer,
        Qt::AlignLeft | Qt::AlignVCenter, small);
  }
  return out;
}

QSize DistributionChart::sizeHint() const {
  const Geometry g = geometry();
  return {g.token_column + int((kMinBar * 3 + g.number + kPad) * g.columns),
          g.header + g.row * std::max(1, rowCount()) + g.footer + kPad};
}

QSize DistributionChart::minimumSizeHint() const {
  const Geometry g = geometry();
  return {g.token_column + int((kMinBar + g.number + kPad) * g.columns) + kPad,
          g.header + g.row * std::max(1, rowCount()) + g.footer + kPad};
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
  const NextTokenDistribution& d = tree_->node(node_).next;
  const Geometry g = geometry();
  const int shown = shownRows();
  const QColor text = pal.color(QPalette::Text);
  const QColor faint = pal.color(QPalette::PlaceholderText);
  const bool dark = pal.color(QPalette::Base).lightnessF() < 0.5;
  const QColor kept = dark ? QColor(0x6C, 0xA6, 0xF0) : QColor(0x2B, 0x6C, 0xC4);
  const QColor removed = dark ? QColor(0xF0, 0x6E, 0x6E) : QColor(0xC6, 0x3C, 0x3C);
  const QColor threshold = dark ? QColor(0xFF, 0xB3, 0x3B) : QColor(0xC7, 0x7C, 0x02);

  // Bars: a ghost for what enters a stage, solid for what leaves, hatched
  // red for what the stage removed; the rest of the mass in a lighter shade.
  const qreal bar_h = g.row - 7.0;
  for (int r = 0; r <= shown; ++r) {
    const qreal y = g.header + r * g.row;
    if (r % 2 == 1) painter.fillRect(QRectF(0, y, width(), g.row), pal.alternateBase());
    if (r == shown) {
      painter.setPen(QPen(faint, 1));
      painter.drawLine(QPointF(kPad, y), QPointF(width() - kPad, y));
    }
    for (int c = 0; c < g.columns; ++c) {
      const auto value = [&](int col) {
        const DistributionColumn& column = columns_[std::size_t(col)];
        return r == shown ? column.mass_beyond(std::size_t(shown)) : column.probs[std::size_t(r)];
      };
      const double out = value(c);
      const double in = c == 0 ? out : value(c - 1);
      const QRectF ghost(g.x0(c), y + 3.5, g.span * barFraction(in), bar_h);
      const QRectF solid(g.x0(c), y + 3.5, g.span * barFraction(out), bar_h);
      if (c > 0 && in <= 0) continue;  // removed by an earlier stage
      if (c > 0) {
        painter.setPen(QPen(faint, 1, Qt::DotLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(ghost);
      }
      if (c > 0 && out <= 0) {
        painter.fillRect(ghost, QBrush(removed, Qt::BDiagPattern));
      } else {
        painter.fillRect(solid, r == shown ? QBrush(kept, Qt::Dense4Pattern) : QBrush(kept));
        if (out > scale_max_ * 1.02) {  // off the scale: a break near the end says so
          const qreal bx = solid.right() - 10;
          painter.setPen(QPen(pal.color(QPalette::Base), 3));
          painter.drawLine(QPointF(bx, solid.bottom() + 1), QPointF(bx + 4, solid.top() - 1));
        }
      }
    }
  }

  // Each stage's cut: a dashed line after the last row it kept; min-p's
  // threshold also as a vertical line in the bars' scale.
  const qreal rows_bottom = g.header + shown * g.row;
  painter.setPen(QPen(threshold, 2, Qt::DashLine));
  for (std::size_t s = 0; s < d.stages.size(); ++s) {
    const qreal x0 = g.x0(int(s) + 1);
    if (const int cut = cutLineRow(int(s) + 1); cut > 0) {
      const qreal y = g.header + cut * g.row;
      painter.drawLine(QPointF(x0, y), QPointF(x0 + g.column_width - kPad, y));
    }
    const StageCut& cut = d.stages[s];
    if (cut.stage != "top_p" && !std::isnan(cut.threshold)) {
      const qreal x = x0 + g.span * barFraction(cut.threshold);
      painter.drawLine(QPointF(x, g.header), QPointF(x, rows_bottom));
    }
  }

  const QFont base = font();
  QFont bold = base;
  bold.setBold(true);
  const QFont small = small_font(base);
  QFont struck = small;
  struck.setStrikeOut(true);
  for (const Label& label : labels()) {
    switch (label.kind) {
      case Label::Title:
        painter.setFont(bold);
        painter.setPen(text);
        break;
      case Label::Note:
        painter.setFont(small);
        painter.setPen(faint);
        break;
      case Label::Token:
        painter.setFont(base);
        painter.setPen(text);
        break;
      case Label::RemovedToken:
        painter.setFont(base);
        painter.setPen(faint);
        break;
      case Label::Value:
        painter.setFont(small);
        painter.setPen(text);
        break;
      case Label::Removed:
        painter.setFont(struck);
        painter.setPen(removed);
        break;
      case Label::Absent:
        painter.setFont(small);
        painter.setPen(faint);
        break;
      case Label::Footer:
        painter.setFont(small);
        painter.setPen(threshold);
        break;
    }
    painter.drawText(label.rect, label.align, label.text);
  }
}

}  // namespace beamscope::ui
