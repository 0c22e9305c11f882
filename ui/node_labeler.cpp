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
  if (static_cast<std::size_t>(map.size()) >= NodeLabeler::kMaxCachedEntries) map.clear();
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

NodeLabel NodeLabeler::label(const TreeNode& node) {
  NodeLabel label;
  if (node.parent < 0) {
    label.token = elide_left(prompt_text_.isEmpty() ? tr("prompt") : prompt_text_, kPromptChars);
    label.detail = tr("prompt");
    return label;
  }
  label.token = tokenText(node.text);
  label.detail = detailText(
      node.logprob, mode_ == ProbabilityMode::Probability ? node.cum_prob : node.cum_logprob);
  if (node.count > 0) label.badge = badgeText(node.count);
  return label;
}

QString NodeLabeler::tokenText(const std::string& bytes) {
  auto it = token_texts_.find(bytes);
  if (it != token_texts_.end()) return it->second;
  bound(token_texts_);
  return token_texts_.emplace(bytes, visible_token_text(bytes)).first->second;
}

QString NodeLabeler::detailText(double logprob, double path) {
  const DetailKey key{std::bit_cast<std::uint64_t>(logprob), std::bit_cast<std::uint64_t>(path)};
  auto it = detail_texts_.find(key);
  if (it != detail_texts_.end()) return it->second;
  QString text =
      mode_ == ProbabilityMode::Probability
          ? prob_format_.arg(format_probability(std::exp(logprob)), format_probability(path))
          : log_format_.arg(format_logprob(logprob), format_logprob(path));
  bound(detail_texts_);
  return detail_texts_.emplace(key, std::move(text)).first->second;
}

QString NodeLabeler::badgeText(int count) {
  if (count > kMaxCachedBadge) return QStringLiteral("×%1").arg(count);
  const std::size_t i = static_cast<std::size_t>(count);
  if (i >= badge_texts_.size()) badge_texts_.resize(i + 1);
  if (badge_texts_[i].isEmpty()) badge_texts_[i] = QStringLiteral("×%1").arg(count);
  return badge_texts_[i];
}

NodeSize NodeLabeler::size(const NodeLabel& label) {
  const qreal token_w = tokenWidth(label.token);
  qreal width = std::max(token_w, detailWidth(label.detail));
  if (!label.badge.isEmpty()) {
    // The badge shares the token line, right-aligned.
    width = std::max(width, token_w + pad_x_ + detailWidth(label.badge));
  }
  return NodeSize{std::max(min_width_, width + 2 * pad_x_), height_};
}

qreal NodeLabeler::tokenWidth(const QString& text) {
  auto it = token_widths_.constFind(text);
  if (it != token_widths_.constEnd()) return *it;
  bound(token_widths_);
  const qreal w = token_metrics_.horizontalAdvance(text);
  token_widths_.insert(text, w);
  return w;
}

qreal NodeLabeler::detailWidth(const QString& text) {
  auto it = detail_widths_.constFind(text);
  if (it != detail_widths_.constEnd()) return *it;
  bound(detail_widths_);
  const qreal w = summedDetailWidth(text);
  detail_widths_.insert(text, w);
  return w;
}

qreal NodeLabeler::summedDetailWidth(const QString& text) {
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
