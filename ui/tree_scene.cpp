#include "tree_scene.h"

#include <QFontMetricsF>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QHash>
#include <algorithm>
#include <cmath>

#include "edges_item.h"
#include "node_item.h"
#include "node_labeler.h"
#include "nodes_item.h"
#include "tree_geometry.h"
#include "tree_motion.h"
#include "tree_paths.h"

namespace beamscope::ui {

namespace {
constexpr qreal kMargin = 24.0;
}  // namespace

TreeScene::TreeScene(QObject* parent) : QGraphicsScene(parent), style_(TreeStyle::light()) {
  setItemIndexMethod(QGraphicsScene::NoIndex);
  motion_ = new TreeMotion(this);
  connect(motion_, &TreeMotion::frame, this, [this](const TreeLayout& layout) {
    applyGeometry(layout);
    // The last frame is the target itself: draw it in its own box.
    if (!motion_->isRunning())
      setSceneRect(tree_rect_.adjusted(-kMargin, -kMargin, kMargin, kMargin));
  });
  edges_ = new EdgesItem();
  addItem(edges_);
  nodes_ = new NodesItem();
  addItem(nodes_);
  setBackgroundBrush(style_.background);
}

TreeScene::~TreeScene() = default;

void TreeScene::setTree(std::shared_ptr<const TokenTree> tree, const QString& prompt_text) {
  setTree(std::move(tree), prompt_text, max_step_);
}

void TreeScene::setTree(std::shared_ptr<const TokenTree> tree, const QString& prompt_text,
                        int max_step) {
  max_step_ = std::max(0, max_step);
  const std::shared_ptr<const TokenTree> previous =
      prompt_text == prompt_text_ ? std::move(tree_) : nullptr;
  tree_ = std::move(tree);
  if (prompt_text != prompt_text_) labeler_.reset();
  prompt_text_ = prompt_text;
  const int n = tree_ ? tree_->size() : 0;
  // Open stubs belong to a tree that grows (a live decode, playback); a
  // smaller tree is another run, whose parents are other nodes.
  if (n < static_cast<int>(sizes_.size())) expanded_.clear();
  if (selected_ >= n) selected_ = -1;
  if (highlighted_ >= n) highlighted_ = -1;
  depth_ = tree_ ? tree_->depth() : 0;
  decided_at_end_ = tree_ && decided_at_end(*tree_);
  refreshLabels(previous.get());
  relayout();
}

void TreeScene::setLive(bool live) {
  if (live_ == live) return;
  live_ = live;
  updateUndecided();
}

void TreeScene::updateUndecided() {
  const bool undecided = isUndecided();
  if (nodes_->isUndecided() == undecided) return;
  nodes_->setUndecided(undecided);
  for (NodeItem* item : items_) {
    if (item) item->setUndecided(undecided);
  }
  emit undecidedChanged(undecided);
}

void TreeScene::setTreeStyle(const TreeStyle& style) {
  style_ = style;
  labeler_.reset();
  setBackgroundBrush(style_.background);
  refreshLabels();
  relayout();
}

void TreeScene::setProbabilityMode(ProbabilityMode mode) {
  if (mode_ == mode) return;
  mode_ = mode;
  labeler_.reset();
  refreshLabels();
  relayout();
}

void TreeScene::setFilter(TreeFilter filter, int focus) {
  if (filter_ == filter && filter_focus_ == focus) return;
  filter_ = filter;
  filter_focus_ = focus;
  expanded_.clear();
  relayout();
}

void TreeScene::setOrientation(LayoutOrientation orientation) {
  if (orientation_ == orientation) return;
  orientation_ = orientation;
  relayout();
}

LayoutOrientation TreeScene::fitOrientation(const QSizeF& viewport) {
  auto zoom_for = [&](LayoutOrientation o) {
    setOrientation(o);
    const QRectF r = sceneRect();
    return r.isEmpty() ? 0.0
                       : std::min(viewport.width() / r.width(), viewport.height() / r.height());
  };
  const LayoutOrientation before = orientation_;
  const LayoutOrientation other = before == LayoutOrientation::LeftToRight
                                      ? LayoutOrientation::TopToBottom
                                      : LayoutOrientation::LeftToRight;
  const double keep = zoom_for(before);
  if (zoom_for(other) <= keep) setOrientation(before);
  return orientation_;
}

void TreeScene::toggleStub(int id) {
  if (!filtered_.is_stub(id)) return;
  const int parent = filtered_.stub(id).parent;
  if (!expanded_.erase(parent)) expanded_.insert(parent);
  relayout();
}

void TreeScene::setMaxStep(int max_step) {
  max_step = std::max(0, max_step);
  if (max_step_ == max_step) return;
  max_step_ = max_step;
  relayout();
}

namespace {
// Whether `now` is `before` grown by nodes appended after its own (a live
// decode's next snapshot, a "what if" branch): the same nodes, same tokens.
bool extends(const TokenTree& before, const TokenTree& now) {
  if (now.size() < before.size()) return false;
  for (int id = 0; id < before.size(); ++id) {
    const TreeNode& a = before.node(id);
    const TreeNode& b = now.node(id);
    if (a.parent != b.parent || a.token_id != b.token_id || a.logprob != b.logprob) return false;
  }
  return true;
}
}  // namespace

NodeLabeler& TreeScene::labeler() {
  if (!labeler_) labeler_ = std::make_unique<NodeLabeler>(style_, mode_, prompt_text_);
  return *labeler_;
}

void TreeScene::refreshLabels(const TokenTree* previous) {
  const int n = tree_ ? tree_->size() : 0;
  NodeLabeler& labeler = this->labeler();
  // A tree that grew from the one drawn keeps its nodes' labels and sizes
  // (and their laid-out text): only the new nodes, and the old ones whose
  // sample count changed, are worded and measured again.
  if (previous && tree_ && static_cast<int>(sizes_.size()) == previous->size() &&
      extends(*previous, *tree_)) {
    const int keep = previous->size();
    labeler.reserve(static_cast<std::size_t>(n - keep));
    std::vector<std::pair<int, NodeLabel>> changed;
    for (int id = 0; id < keep; ++id) {
      if (tree_->node(id).count == previous->node(id).count) continue;
      MeasuredLabel m = labeler.measure(tree_->node(id));
      changed.emplace_back(id, std::move(m.label));
      sizes_[static_cast<std::size_t>(id)] = m.size;
    }
    std::vector<NodeLabel> added;
    for (int id = keep; id < n; ++id) {
      MeasuredLabel m = labeler.measure(tree_->node(id));
      added.push_back(std::move(m.label));
      sizes_.push_back(m.size);
    }
    labels_measured_ = static_cast<int>(changed.size() + added.size());
    nodes_->extendLabels(tree_.get(), keep, std::move(changed), std::move(added));
    return;
  }
  std::vector<NodeLabel> labels(static_cast<std::size_t>(n));
  sizes_.assign(static_cast<std::size_t>(n), NodeSize{});
  labeler.reserve(static_cast<std::size_t>(n));
  for (int id = 0; id < n; ++id) {
    MeasuredLabel m = labeler.measure(tree_->node(id));
    labels[static_cast<std::size_t>(id)] = std::move(m.label);
    sizes_[static_cast<std::size_t>(id)] = m.size;
  }
  labels_measured_ = n;
  nodes_->setLabels(tree_.get(), &style_, std::move(labels));
}

void TreeScene::relayout() {
  const int n = tree_ ? tree_->size() : 0;
  LayoutOptions options;
  options.row_gap = 10.0 * style_.scale;
  options.column_gap =
      (orientation_ == LayoutOrientation::LeftToRight ? 46.0 : 18.0) * style_.scale;
  options.orientation = orientation_;
  filtered_ =
      tree_ ? filter_tree(*tree_, filter_, expanded_, max_step_, filter_focus_) : FilteredTree{};

  // Stubs: one line of words in the detail font, sized like a node's text.
  const QFontMetricsF stub_metrics(style_.detail_font);
  const qreal pad_x = 6.0 * style_.scale;
  const qreal pad_y = 3.0 * style_.scale;
  std::vector<NodeLabel> stub_labels;
  layout_sizes_ = sizes_;
  for (const TreeStub& stub : filtered_.stubs) {
    NodeLabel label;
    label.token = QString::fromStdString(stub_label(stub));
    layout_sizes_.push_back(NodeSize{stub_metrics.horizontalAdvance(label.token) + 2 * pad_x + 1,
                                     style_.detail_line_height + 2 * pad_y + 2});
    stub_labels.push_back(std::move(label));
  }
  nodes_->setStubLabels(std::move(stub_labels));
  layout_ = tree_ ? layout_tree(filtered_.input, layout_sizes_, options) : TreeLayout{};
  tree_rect_ = n > 0 ? QRectF(0, 0, layout_.width, layout_.height) : QRectF();
  // Steps and parameter changes glide (TreeMotion); a live run's snapshots
  // come too fast for that and are drawn where they belong.
  std::vector<std::uint64_t> keys;
  if (tree_) keys = display_keys(*tree_, filtered_);
  bool moving = false;
  if (animated_ && !live_) {
    moving = motion_->start(layout_, std::move(keys), filtered_.input.parent);
  } else {
    motion_->jump(layout_, std::move(keys));
  }
  // Items lifted out for callers: drop those of removed nodes.
  while (static_cast<int>(items_.size()) > n) {
    delete items_.back();
    items_.pop_back();
  }
  items_.resize(static_cast<std::size_t>(n), nullptr);
  applyGeometry(moving ? motion_->at(0.0) : layout_);
  setSceneRect(tree_rect_.adjusted(-kMargin, -kMargin, kMargin, kMargin));
  updateUndecided();
  emit treeLaidOut();
}

void TreeScene::applyGeometry(const TreeLayout& layout) {
  TreeGeometry geometry =
      tree_ ? build_tree_geometry(*tree_, filtered_, layout, layout_sizes_, style_)
            : TreeGeometry{};
  visible_count_ = geometry.shown_nodes;
  // Mid-motion a node may still be outside the new tree's box.
  QRectF bounds = tree_rect_;
  if (&layout != &layout_) {
    for (const QRectF& box : geometry.boxes) bounds |= box;
  }
  bounds.adjust(-kMargin, -kMargin, kMargin, kMargin);
  nodes_->setBoxes(std::move(geometry.boxes), bounds);
  nodes_->setFocusedNode(selected_);
  QPen highlight = style_.highlight_pen;
  highlight.setWidthF(4.0 * style_.scale);
  highlight.setCapStyle(Qt::RoundCap);
  edges_->setEdges(std::move(geometry.edges), std::move(geometry.pens), bounds, highlight);
  applyHighlight();
}

void TreeScene::setAnimated(bool on) {
  animated_ = on;
  if (!on) finishMotion();
}

bool TreeScene::isMoving() const { return motion_->isRunning(); }

void TreeScene::finishMotion() { motion_->finish(); }

void TreeScene::updateLiftedItem(int id) {
  NodeItem* item = items_[static_cast<std::size_t>(id)];
  if (!item) return;
  const std::size_t i = static_cast<std::size_t>(id);
  const QSizeF size(sizes_[i].width, sizes_[i].height);
  item->setContent(&tree_->node(id), &style_, nodes_->label(id), size);
  item->setFocused(id == selected_);
  item->setHighlighted(i < on_path_.size() && on_path_[i] != 0);
  if (!isNodeVisible(id)) {
    item->setVisible(false);
    return;
  }
  item->setPos(nodes_->box(id).topLeft());  // where it is drawn now
  item->setVisible(true);
}

void TreeScene::applyHighlight() {
  const int n = tree_ ? tree_->size() : 0;
  on_path_.assign(static_cast<std::size_t>(n), 0);
  // The winner is drawn once it is decided (beam search: at the last step).
  if (highlighted_ >= 0 && highlighted_ < n &&
      (decided_at_end_ ? depth_ : tree_->node(highlighted_).step) <= max_step_) {
    for (int id : tree_->path_nodes(highlighted_)) on_path_[static_cast<std::size_t>(id)] = 1;
  }
  nodes_->setHighlightedNodes(on_path_);
  edges_->setHighlightedNodes(on_path_);
  for (int id = 0; id < static_cast<int>(items_.size()); ++id) updateLiftedItem(id);
}

void TreeScene::selectNode(int id) {
  const int n = tree_ ? tree_->size() : 0;
  if (id < -1 || id >= n) id = -1;
  if (id >= 0 && !isNodeVisible(id)) id = -1;
  if (id == selected_) return;
  const int previous = selected_;
  selected_ = id;
  nodes_->setFocusedNode(selected_);
  for (int changed : {previous, selected_}) {
    if (changed >= 0 && changed < static_cast<int>(items_.size())) updateLiftedItem(changed);
  }
  emit nodeSelected(selected_);
}

void TreeScene::pickNode(int id) {
  selectNode(id);
  if (id >= 0 && id == selected_) emit nodePicked(id);
}

void TreeScene::setHighlightedNode(int id) {
  if (!tree_ || id >= tree_->size()) id = -1;
  if (id == highlighted_) return;
  highlighted_ = id;
  applyHighlight();
}

bool TreeScene::isNodeVisible(int id) const {
  // Real nodes only: a stub is not a node to select, inspect or step to.
  return id >= 0 && id < layout_.size() && id < (tree_ ? tree_->size() : 0) &&
         layout_.visible[static_cast<std::size_t>(id)];
}

NodeItem* TreeScene::itemForNode(int id) {
  if (id < 0 || id >= static_cast<int>(items_.size())) return nullptr;
  NodeItem*& item = items_[static_cast<std::size_t>(id)];
  if (!item) {
    item = new NodeItem(id);
    addItem(item);
    nodes_->setLifted(id, true);
    updateLiftedItem(id);
  }
  return item;
}

QRectF TreeScene::nodeRect(int id) const {
  if (!isNodeVisible(id) && !isStub(id)) return {};
  // Where it belongs, also while it glides there (shownRect).
  const std::size_t i = static_cast<std::size_t>(id);
  if (i >= layout_sizes_.size() || i >= static_cast<std::size_t>(layout_.size())) return {};
  const NodeSize& s = layout_sizes_[i];
  return QRectF(layout_.x[i], layout_.y[i] - s.height / 2, s.width, s.height);
}

QRectF TreeScene::shownRect(int id) const {
  if (!isNodeVisible(id) && !isStub(id)) return {};
  return nodes_->box(id);
}

int TreeScene::neighbour(int id, TreeDirection direction) const {
  if (!tree_ || !isNodeVisible(id)) return -1;
  const TreeNode& node = tree_->node(id);
  auto visible_children = [&](int parent) {
    std::vector<int> kids;
    for (int c : tree_->node(parent).children) {
      if (isNodeVisible(c)) kids.push_back(c);
    }
    return kids;
  };
  switch (direction) {
    case TreeDirection::Parent:
      return node.parent;
    case TreeDirection::FirstChild: {
      const auto kids = visible_children(id);
      if (kids.empty()) return -1;
      // Prefer the taken continuation: that is the path a student follows.
      for (int c : kids) {
        const NodeStatus s = tree_->node(c).status;
        if (s == NodeStatus::Selected || s == NodeStatus::Returned) return c;
      }
      return kids.front();
    }
    case TreeDirection::PreviousSibling:
    case TreeDirection::NextSibling: {
      if (node.parent < 0) return -1;
      const auto kids = visible_children(node.parent);
      const auto it = std::find(kids.begin(), kids.end(), id);
      if (it == kids.end()) return -1;
      if (direction == TreeDirection::PreviousSibling) {
        return it == kids.begin() ? -1 : *(it - 1);
      }
      return it + 1 == kids.end() ? -1 : *(it + 1);
    }
  }
  return -1;
}

int TreeScene::nodeAt(const QPointF& scene_pos) const { return nodes_->nodeAt(scene_pos); }

void TreeScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
  const int id = event->button() == Qt::LeftButton ? nodeAt(event->scenePos()) : -1;
  if (isStub(id)) {
    toggleStub(id);
    event->accept();
    return;
  }
  if (id >= 0) {
    pickNode(id);
    event->accept();
    return;
  }
  // Not on a node: let the view pan (hand drag).
  event->ignore();
}

void TreeScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
  const int id = nodeAt(event->scenePos());
  if (isStub(id)) {
    toggleStub(id);  // the second click of a double click toggles again
    event->accept();
    return;
  }
  if (id >= 0) {
    pickNode(id);
    emit nodeActivated(id);
    event->accept();
    return;
  }
  event->ignore();
}

void TreeScene::contextMenuEvent(QGraphicsSceneContextMenuEvent* event) {
  const int id = nodeAt(event->scenePos());
  if (id < 0 || isStub(id)) {
    event->ignore();
    return;
  }
  pickNode(id);
  emit nodeContextMenuRequested(id, event->screenPos());
  event->accept();
}

}  // namespace beamscope::ui
