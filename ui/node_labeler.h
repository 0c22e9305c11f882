#pragma once

#include <QFontMetricsF>
#include <QHash>
#include <QString>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "decoding/token_tree.h"
#include "layout/tree_layout.h"
#include "node_painter.h"
#include "tree_style.h"

namespace beamscope::ui {

// Words and box size of each node: the token, "p 0.42 · path 0.01" (or the
// log-probs), a "×3" badge, measured in the style's fonts.
//
// 20k-node trees: measuring every label with the font engine dominated the
// rebuild. Tokens repeat a lot, so their widths are cached per text; the
// detail line is digits and a few symbols, so it is summed from cached
// per-character advances (no kerning there worth a pixel; one px of slack).
//
// A slider change redraws a tree of mostly the same nodes (same tokens, same
// raw probabilities), so the scene keeps one labeler for as long as its
// style, mode and prompt stay (TreeScene), and the words themselves are
// memoised too: a token's visible text by its bytes, a detail line by the
// two numbers it shows, a badge by its count, a detail line's width by its
// text. Every cache maps a value to what a pure function makes of it, so a
// hit is the same string or width a miss computes; each is emptied once it
// holds kMaxCachedEntries (a long session of distinct trees).
class NodeLabeler {
 public:
  NodeLabeler(const TreeStyle& style, ProbabilityMode mode, const QString& prompt_text);

  // The root shows the end of the prompt.
  NodeLabel label(const TreeNode& node);
  NodeSize size(const NodeLabel& label);

  static constexpr std::size_t kMaxCachedEntries = 50000;

 private:
  qreal tokenWidth(const QString& text);
  qreal detailWidth(const QString& text);
  qreal summedDetailWidth(const QString& text);
  QString tokenText(const std::string& bytes);
  QString detailText(double logprob, double path);
  QString badgeText(int count);

  // The two numbers of a detail line, by their bits (-0.0 and 0.0 format
  // alike anyway; NaNs with equal bits format alike).
  struct DetailKey {
    std::uint64_t step;
    std::uint64_t path;
    bool operator==(const DetailKey&) const = default;
  };
  struct DetailKeyHash {
    std::size_t operator()(const DetailKey& k) const {
      return std::hash<std::uint64_t>()(k.step * 0x9E3779B97F4A7C15ull ^ k.path);
    }
  };

  ProbabilityMode mode_;
  QString prompt_text_;
  QFontMetricsF token_metrics_;
  QFontMetricsF detail_metrics_;
  qreal pad_x_;
  qreal height_;
  qreal min_width_;
  QString prob_format_;
  QString log_format_;
  QHash<QString, qreal> token_widths_;
  QHash<QString, qreal> detail_widths_;
  QHash<char16_t, qreal> detail_advances_;
  std::unordered_map<std::string, QString> token_texts_;
  std::unordered_map<DetailKey, QString, DetailKeyHash> detail_texts_;
  std::vector<QString> badge_texts_;  // by count; empty = not made yet
};

}  // namespace beamscope::ui
