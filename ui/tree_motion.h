#pragma once

#include <QObject>
#include <QVariantAnimation>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "decoding/token_tree.h"
#include "layout/tree_filter.h"
#include "layout/tree_layout.h"

namespace beamscope::ui {

// Issue 17: a step (live or in playback) or a parameter change moves the
// nodes to their new places instead of the tree jumping. Nodes are known
// across layouts by a key (TreeScene: the path of token ids, so a new tree
// of a parameter change finds its nodes in the old one); a node that was
// shown glides from where it was, a new one grows out of where its parent
// was. Short (240 ms), skippable (finish()), and only where the scene asks
// for it: exports and tests lay out at once.
class TreeMotion : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDurationMs = 240;
  // Above this many shown nodes a layout jumps: each frame rebuilds the
  // drawing, which a 20k-node tree cannot afford 60 times a second.
  static constexpr int kMaxNodes = 4000;

  explicit TreeMotion(QObject* parent = nullptr);

  // Moves towards `to` (keys[id] and parents[id] per display id of `to`)
  // from what is shown now. Returns false when nothing moves (the first
  // layout, a big tree, the same places): then `to` is the whole story.
  bool start(const TreeLayout& to, std::vector<std::uint64_t> keys,
             const std::vector<int>& parents);
  // Where `to` is shown from now on without moving (animation off).
  void jump(const TreeLayout& to, std::vector<std::uint64_t> keys);
  // Ends a motion at once at its target (a click, a key, an export).
  void finish();
  bool isRunning() const { return animation_.state() == QAbstractAnimation::Running; }
  // The layout shown at progress t in [0, 1] of the current motion.
  TreeLayout at(double t) const;
  const TreeLayout& target() const { return to_; }

 signals:
  // Each frame's layout, then the target's.
  void frame(const TreeLayout& layout);

 private:
  QVariantAnimation animation_;
  TreeLayout to_;
  std::vector<std::uint64_t> keys_;  // by display id of to_
  std::vector<double> from_x_, from_y_;
  double t_ = 1.0;  // progress of the motion shown now
};

// What names each display id of `filtered` across layouts: a node is its
// path of token ids from the prompt (a new tree of the same prompt has the
// same paths), a stub its parent's path and a mark.
std::vector<std::uint64_t> display_keys(const TokenTree& tree, const FilteredTree& filtered);

}  // namespace beamscope::ui
