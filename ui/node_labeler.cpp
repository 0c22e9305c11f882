#include "node_labeler.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>

#include "token_display.h"

namespace beamscope::ui {

namespace {
constexpr int kPromptChars = 26;  // the root shows the end of the prompt

QString tr(const char* text) {
  return QCoreApplication::translate("beamscope::ui::TreeScene", text);
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

NodeLabel NodeLabeler::label(const TreeNode& node) const {
  NodeLabel label;
  if (node.parent < 0) {
    label.token = elide_left(prompt_text_.isEmpty() ? tr("prompt") : prompt_text_, kPromptChars);
    label.detail = tr("prompt");
    return label;
  }
  label.token = visible_token_text(node.text);
  if (mode_ == ProbabilityMode::Probability) {
    label.detail = prob_format_.arg(format_probability(std::exp(node.logprob)),
                                    format_probability(node.cum_prob));
  } else {
    label.detail = log_format_.arg(format_logprob(node.logprob), format_logprob(node.cum_logprob));
  }
  if (node.count > 0) label.badge = QStringLiteral("×%1").arg(node.count);
  return label;
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
  const qreal w = token_metrics_.horizontalAdvance(text);
  token_widths_.insert(text, w);
  return w;
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
