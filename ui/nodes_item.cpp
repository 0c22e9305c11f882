#include "nodes_item.h"

#include <QFontMetricsF>
#include <QPaintDevice>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <cmath>

#include "tree_style.h"

namespace beamscope::ui {

namespace {
// Block colour slots: the highlight, the focus, then one per NodeStatus.
constexpr int kHighlightSlot = 0;
constexpr int kFocusSlot = 1;
constexpr int kStatusSlots = static_cast<int>(NodeStatus::Returned) + 1;
constexpr int kSlots = 2 + kStatusSlots;
constexpr qsizetype kMaxCachedTexts = 50000;  // per cache
}  // namespace

NodesItem::NodesItem() : block_colours_(kSlots), block_rects_(kSlots) {
  setFlag(ItemUsesExtendedStyleOption, true);  // we need option->exposedRect
  setAcceptHoverEvents(false);
  setZValue(1.0);  // above the edges
}

void NodesItem::setLabels(const TokenTree* tree, const TreeStyle* style,
                          std::vector<NodeLabel> labels) {
  tree_ = tree;
  style_ = style;
  labels_ = std::move(labels);
  node_count_ = static_cast<int>(labels_.size());
  texts_.clear();
  texts_.resize(labels_.size());
  lifted_.resize(labels_.size(), 0);
  on_path_.resize(labels_.size(), 0);
  update();
}

void NodesItem::extendLabels(const TokenTree* tree, int keep,
                             std::vector<std::pair<int, NodeLabel>> changed,
                             std::vector<NodeLabel> added) {
  tree_ = tree;
  const std::size_t kept = static_cast<std::size_t>(keep);
  labels_.resize(kept);  // the stubs go; setStubLabels brings the new ones
  texts_.resize(kept);
  for (auto& [id, label] : changed) {
    labels_[static_cast<std::size_t>(id)] = std::move(label);
    texts_[static_cast<std::size_t>(id)].reset();
  }
  for (NodeLabel& label : added) labels_.push_back(std::move(label));
  node_count_ = static_cast<int>(labels_.size());
  texts_.resize(labels_.size());
  lifted_.resize(labels_.size(), 0);
  on_path_.resize(labels_.size(), 0);
  update();
}

void NodesItem::setStubLabels(std::vector<NodeLabel> labels) {
  labels_.resize(static_cast<std::size_t>(node_count_));
  texts_.resize(static_cast<std::size_t>(node_count_));
  for (NodeLabel& label : labels) labels_.push_back(std::move(label));
  texts_.resize(labels_.size());
  lifted_.resize(labels_.size(), 0);
  on_path_.resize(labels_.size(), 0);
  update();
}

const QStaticText& NodesItem::cachedText(QHash<QString, QStaticText>& cache, const QString& text) {
  auto it = cache.find(text);
  if (it == cache.end()) {
    if (cache.size() >= kMaxCachedTexts) cache.clear();
    it = cache.insert(text, plain_static_text(text));
  }
  return *it;
}

void NodesItem::setBoxes(std::vector<QRectF> rects, const QRectF& bounds) {
  prepareGeometryChange();
  rects_ = std::move(rects);
  bounds_ = bounds;
  grid_.build(rects_);
  lifted_.resize(rects_.size(), 0);
  on_path_.resize(rects_.size(), 0);
  if (focused_ >= static_cast<int>(rects_.size())) focused_ = -1;
  update();
}

void NodesItem::updateNode(int id) {
  if (id < 0 || id >= static_cast<int>(rects_.size())) return;
  const QRectF& r = rects_[static_cast<std::size_t>(id)];
  if (!r.isEmpty()) {
    update(r.adjusted(-kNodeOutline, -kNodeOutline, kNodeOutline, kNodeOutline));
  }
}

void NodesItem::setFocusedNode(int id) {
  if (id == focused_) return;
  updateNode(focused_);
  focused_ = id;
  updateNode(focused_);
}

void NodesItem::setHighlightedNodes(const std::vector<char>& on_path) {
  on_path_ = on_path;
  on_path_.resize(rects_.size(), 0);
  path_ids_.clear();
  for (int id = 0; id < node_count_ && id < static_cast<int>(on_path_.size()); ++id) {
    if (on_path_[static_cast<std::size_t>(id)]) path_ids_.push_back(id);
  }
  update();
}

void NodesItem::setLifted(int id, bool lifted) {
  if (id < 0 || id >= static_cast<int>(lifted_.size())) return;
  lifted_[static_cast<std::size_t>(id)] = lifted ? 1 : 0;
  updateNode(id);
}

void NodesItem::setUndecided(bool undecided) {
  if (undecided_ == undecided) return;
  undecided_ = undecided;
  update();
}

void NodesItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  if (!tree_ || !style_) return;
  // QGraphicsScene::render() passes the whole bounding rect as exposed; the
  // device's own extent, mapped back, is the tighter bound there. Boxes
  // whose rings reach into the exposed area count too.
  QRectF exposed = option->exposedRect;
  if (const QPaintDevice* device = painter->device()) {
    bool invertible = false;
    const QTransform to_item = painter->worldTransform().inverted(&invertible);
    if (invertible) exposed &= to_item.mapRect(QRectF(0, 0, device->width(), device->height()));
  }
  exposed.adjust(-kNodeOutline, -kNodeOutline, kNodeOutline, kNodeOutline);
  const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
  if (lod < kLodNoText) {
    paintBlocks(*painter, exposed);
    paintPathLabels(*painter, exposed, lod);
  } else {
    paintBoxes(*painter, exposed, lod);
  }
}

void NodesItem::paintBlocks(QPainter& painter, const QRectF& exposed) {
  // Far out every box is one block of colour (as paint_node draws it there);
  // 20k separate fillRect calls cost more than the pixels, so the blocks are
  // grouped by colour and drawn with one drawRects each.
  for (auto& rects : block_rects_) rects.clear();
  grid_.forEachIntersecting(exposed, [&](int id) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (lifted_[i]) return;
    if (id >= node_count_) {
      block_rects_[2 + static_cast<std::size_t>(NodeStatus::Alternative)].push_back(rects_[i]);
      return;
    }
    const int slot = on_path_[i] ? kHighlightSlot
                     : id == focused_
                         ? kFocusSlot
                         : 2 + static_cast<int>(shown_status(tree_->node(id).status, undecided_));
    block_rects_[static_cast<std::size_t>(slot)].push_back(rects_[i]);
  });
  block_colours_[kHighlightSlot] = style_->highlight;
  block_colours_[kFocusSlot] = style_->focus;
  for (int s = 0; s < kStatusSlots; ++s) {
    block_colours_[static_cast<std::size_t>(2 + s)] =
        style_->look(static_cast<NodeStatus>(s)).border;
  }
  painter.setPen(Qt::NoPen);
  auto draw_slot = [&](int slot) {
    const auto& rects = block_rects_[static_cast<std::size_t>(slot)];
    if (rects.empty()) return;
    painter.setBrush(block_colours_[static_cast<std::size_t>(slot)]);
    painter.drawRects(rects.data(), static_cast<int>(rects.size()));
  };
  for (int slot = 2; slot < kSlots; ++slot) draw_slot(slot);
  draw_slot(kFocusSlot);
  draw_slot(kHighlightSlot);
}

void NodesItem::paintBoxes(QPainter& painter, const QRectF& exposed, qreal lod) {
  grid_.forEachIntersecting(exposed, [&](int id) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (lifted_[i]) return;
    auto& text = texts_[i];
    if (id >= node_count_) {
      if (!text) text = std::make_unique<NodeText>(labels_[i]);
      paint_stub(painter, rects_[i], *style_, text.get(), lod);
      return;
    }
    if (!text) {
      const NodeLabel& label = labels_[i];
      text = std::make_unique<NodeText>(cachedText(token_texts_, label.token),
                                        cachedText(detail_texts_, label.detail), label.badge);
    }
    paint_node(painter, rects_[i], tree_->node(id), *style_, text.get(), id == focused_,
               on_path_[i] != 0, lod, undecided_);
  });
}

void NodesItem::paintPathLabels(QPainter& painter, const QRectF& exposed, qreal lod) {
  // Zoomed far out the boxes are blocks of colour, but the highlighted path
  // is what the room follows: its tokens stay legible, drawn at a fixed size
  // on screen (kPathLabelPx) on a tag in the highlight colour beside each box.
  constexpr qreal kPathLabelPx = 12.0;
  if (path_ids_.empty()) return;
  QFont font = style_->token_font;
  font.setPixelSize(std::max(1, static_cast<int>(std::lround(kPathLabelPx / lod))));
  const QFontMetricsF metrics(font);
  painter.setFont(font);
  const qreal pad = 3.0 / lod;
  for (int id : path_ids_) {
    const std::size_t i = static_cast<std::size_t>(id);
    if (i >= rects_.size() || lifted_[i] || !rects_[i].intersects(exposed)) continue;
    const QString& token = labels_[i].token;
    const QRectF& box = rects_[i];
    const QRectF tag(box.left(), box.center().y() - metrics.height() / 2 - pad,
                     metrics.horizontalAdvance(token) + 2 * pad, metrics.height() + 2 * pad);
    painter.setPen(Qt::NoPen);
    painter.setBrush(style_->highlight);
    painter.drawRect(tag);
    painter.setPen(style_->background);
    painter.drawText(tag.adjusted(pad, pad, -pad, -pad), Qt::AlignLeft | Qt::AlignVCenter, token);
  }
}

}  // namespace beamscope::ui
