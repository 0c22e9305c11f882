#include "node_labeler.h"

#include <QCoreApplication>
#include <algorithm>
#include <bit>
#include <cmath>

#include "token_display.h"

namespace beamscope::ui {

namespace {
constexpr int kPromptChars = 26;  // the root shows the end of the prompt
// Badges up to this count are kept by count (a tree's samples, typically).
constexpr int kMaxCachedBadge = 4096;

QString tr(const char* text) {
  return QCoreApplication::translate("beamscope::ui::TreeScene", text);
}

// Empties a memo that has grown past its bound (see NodeLabeler).
template <class Map>
void bound(Map& map) {
  if (map.size() >= NodeLabeler::kMaxCachedEntries) map.clear();
}
}  // namespace

NodeLabeler::NodeLabeler(const TreeStyle& style, ProbabilityMode mode, const QString& prompt_text)
    : mode_(mode),
      prompt_text_(prompt_text),
      token_metrics_(style.token_font),
      detail_metrics_(style.detail_font),
      pad_x_(6.0 * style.scale),
      // Two text lines, padding, and the probability bar under the text.
      height_(2 * 3.0 * style.scale + style.token_line_height + style.detail_line_height +
              5.0 * style.scale),
      min_width_(44.0 * style.scale),
      prob_format_(tr("p %1 · path %2")),
      log_format_(tr("lp %1 · Σ %2")) {}

void NodeLabeler::reserve(std::size_t n) {
  n = std::min(n, kMaxCachedEntries);
  if (detail_lines_.size() + n > kMaxCachedEntries) detail_lines_.clear();
  detail_lines_.reserve(detail_lines_.size() + n);
}

MeasuredLabel NodeLabeler::measure(const TreeNode& node) {
  MeasuredLabel m;
  NodeLabel& label = m.label;
  if (node.parent < 0) {
    label.token = elide_left(prompt_text_.isEmpty() ? tr("prompt") : prompt_text_, kPromptChars);
    label.detail = tr("prompt");
    m.size = size(token_metrics_.horizontalAdvance(label.token), detailWidth(label.detail), {}, 0);
    return m;
  }
  const Line& token = tokenLine(node.text);
  const Line& detail = detailLine(
      node.logprob, mode_ == ProbabilityMode::Probability ? node.cum_prob : node.cum_logprob);
  label.token = token.text;
  label.detail = detail.text;
  qreal badge_width = 0;
  if (node.count > 0) {
    const Line& badge = badgeLine(node.count);
    label.badge = badge.text;
    badge_width = badge.width;
  }
  m.size = size(token.width, detail.width, label.badge, badge_width);
  return m;
}

const NodeLabeler::Line& NodeLabeler::tokenLine(const std::string& bytes) {
  auto it = token_lines_.find(bytes);
  if (it != token_lines_.end()) return it->second;
  bound(token_lines_);
  QString text = visible_token_text(bytes);
  const qreal width = token_metrics_.horizontalAdvance(text);
  return token_lines_.emplace(bytes, Line{std::move(text), width}).first->second;
}

const NodeLabeler::Line& NodeLabeler::detailLine(double logprob, double path) {
  const DetailKey key{std::bit_cast<std::uint64_t>(logprob), std::bit_cast<std::uint64_t>(path)};
  auto it = detail_lines_.find(key);
  if (it != detail_lines_.end()) return it->second;
  QString text =
      mode_ == ProbabilityMode::Probability
          ? prob_format_.arg(format_probability(std::exp(logprob)), format_probability(path))
          : log_format_.arg(format_logprob(logprob), format_logprob(path));
  const qreal width = detailWidth(text);
  bound(detail_lines_);
  return detail_lines_.emplace(key, Line{std::move(text), width}).first->second;
}

const NodeLabeler::Line& NodeLabeler::badgeLine(int count) {
  thread_local Line uncached;
  if (count > kMaxCachedBadge) {
    uncached.text = QStringLiteral("×%1").arg(count);
    uncached.width = detailWidth(uncached.text);
    return uncached;
  }
  const std::size_t i = static_cast<std::size_t>(count);
  if (i >= badge_lines_.size()) badge_lines_.resize(i + 1);
  Line& line = badge_lines_[i];
  if (line.text.isEmpty()) {
    line.text = QStringLiteral("×%1").arg(count);
    line.width = detailWidth(line.text);
  }
  return line;
}

NodeSize NodeLabeler::size(qreal token_width, qreal detail_width, const QString& badge,
                           qreal badge_width) const {
  qreal width = std::max(token_width, detail_width);
  if (!badge.isEmpty()) {
    // The badge shares the token line, right-aligned.
    width = std::max(width, token_width + pad_x_ + badge_width);
  }
  return NodeSize{std::max(min_width_, width + 2 * pad_x_), height_};
}

qreal NodeLabeler::detailWidth(const QString& text) {
  qreal w = 1.0;
  for (QChar ch : text) {
    auto it = detail_advances_.constFind(ch.unicode());
    if (it == detail_advances_.constEnd()) {
      it = detail_advances_.insert(ch.unicode(), detail_metrics_.horizontalAdvance(ch));
    }
    w += *it;
  }
  return w;
}

}  // namespace beamscope::ui
