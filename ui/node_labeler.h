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

// A node's words and the box they need.
struct MeasuredLabel {
  NodeLabel label;
  NodeSize size;
};

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
// style, mode and prompt stay (TreeScene), and each line is memoised with its
// width: a token's by its bytes, a detail line's by the two numbers it shows,
// a badge's by its count. Each memo maps a value to what a pure function of
// it gives (the same string, the same width), so a hit is exactly what a miss
// computes; each is emptied once it holds kMaxCachedEntries (a long session
// of distinct trees).
class NodeLabeler {
 public:
  NodeLabeler(const TreeStyle& style, ProbabilityMode mode, const QString& prompt_text);

  // The root shows the end of the prompt.
  MeasuredLabel measure(const TreeNode& node);
  // Room for `n` nodes' distinct lines (a tree about to be measured), so
  // the memos do not grow by rehashing as it is.
  void reserve(std::size_t n);

  static constexpr std::size_t kMaxCachedEntries = 50000;

 private:
  // A line and its width in its font.
  struct Line {
    QString text;
    qreal width = 0;
  };
  const Line& tokenLine(const std::string& bytes);
  const Line& detailLine(double logprob, double path);
  const Line& badgeLine(int count);
  NodeSize size(qreal token_width, qreal detail_width, const QString& badge,
                qreal badge_width) const;
  qreal detailWidth(const QString& text);

  // The two numbers of a detail line, by their bits.
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
  QHash<char16_t, qreal> detail_advances_;
  std::unordered_map<std::string, Line> token_lines_;
  std::unordered_map<DetailKey, Line, DetailKeyHash> detail_lines_;
  std::vector<Line> badge_lines_;  // by count; empty text = not made yet
};

}  // namespace beamscope::ui
