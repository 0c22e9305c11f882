#include "tree_motion.h"

#include <QEasingCurve>

namespace beamscope::ui {

TreeMotion::TreeMotion(QObject* parent) : QObject(parent) {
  animation_.setDuration(kDurationMs);
  animation_.setStartValue(0.0);
  animation_.setEndValue(1.0);
  animation_.setEasingCurve(QEasingCurve::OutCubic);
  connect(&animation_, &QVariantAnimation::valueChanged, this, [this](const QVariant& value) {
    if (animation_.state() != QAbstractAnimation::Running) return;  // start()'s own value
    t_ = value.toDouble();
    emit frame(at(t_));
  });
  connect(&animation_, &QVariantAnimation::finished, this, [this] {
    t_ = 1.0;
    emit frame(to_);
  });
}

void TreeMotion::jump(const TreeLayout& to, std::vector<std::uint64_t> keys) {
  animation_.stop();
  to_ = to;
  keys_ = std::move(keys);
  from_x_ = to_.x;
  from_y_ = to_.y;
  t_ = 1.0;
}

bool TreeMotion::start(const TreeLayout& to, std::vector<std::uint64_t> keys,
                       const std::vector<int>& parents) {
  const int n = to.size();
  if (n > kMaxNodes || to_.size() == 0 || to_.size() > kMaxNodes) {
    jump(to, std::move(keys));
    return false;
  }
  // Where each key is shown now (mid-motion: where it has got to).
  const TreeLayout now = at(t_);
  std::unordered_map<std::uint64_t, std::pair<double, double>> shown;
  shown.reserve(keys_.size());
  for (int id = 0; id < now.size() && id < static_cast<int>(keys_.size()); ++id) {
    if (now.visible[static_cast<std::size_t>(id)])
      shown.emplace(
          keys_[static_cast<std::size_t>(id)],
          std::make_pair(now.x[static_cast<std::size_t>(id)], now.y[static_cast<std::size_t>(id)]));
  }
  std::vector<double> from_x(static_cast<std::size_t>(n)), from_y(static_cast<std::size_t>(n));
  bool moves = false;
  for (int id = 0; id < n; ++id) {
    const std::size_t i = static_cast<std::size_t>(id);
    from_x[i] = to.x[i];
    from_y[i] = to.y[i];
    if (!to.visible[i]) continue;
    auto it = shown.find(keys[i]);
    if (it != shown.end()) {
      from_x[i] = it->second.first;
      from_y[i] = it->second.second;
    } else {
      // New: out of where its parent starts (parents have lower ids, so
      // theirs is settled: its old place, or its own parent's).
      const int p = id < static_cast<int>(parents.size()) ? parents[i] : -1;
      if (p >= 0 && p < id) {
        from_x[i] = from_x[static_cast<std::size_t>(p)];
        from_y[i] = from_y[static_cast<std::size_t>(p)];
      }
    }
    moves = moves || from_x[i] != to.x[i] || from_y[i] != to.y[i];
  }
  animation_.stop();
  to_ = to;
  keys_ = std::move(keys);
  from_x_ = std::move(from_x);
  from_y_ = std::move(from_y);
  if (!moves) {
    t_ = 1.0;
    return false;
  }
  t_ = 0.0;
  animation_.start();
  return true;
}

void TreeMotion::finish() {
  if (!isRunning()) return;
  animation_.stop();
  t_ = 1.0;
  emit frame(to_);
}

std::vector<std::uint64_t> display_keys(const TokenTree& tree, const FilteredTree& filtered) {
  const int total = filtered.input.size();
  std::vector<std::uint64_t> keys(static_cast<std::size_t>(total));
  auto mix = [](std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDull;
  };
  for (int id = 0; id < total; ++id) {
    const int parent = filtered.input.parent[static_cast<std::size_t>(id)];
    const std::uint64_t own =
        filtered.is_stub(id) ? ~0ull : static_cast<std::uint64_t>(tree.node(id).token_id) + 1;
    keys[static_cast<std::size_t>(id)] =
        parent >= 0 ? mix(keys[static_cast<std::size_t>(parent)], own) : 1;
  }
  return keys;
}

TreeLayout TreeMotion::at(double t) const {
  if (t >= 1.0 || from_x_.size() != to_.x.size()) return to_;
  TreeLayout l = to_;
  for (std::size_t i = 0; i < l.x.size(); ++i) {
    l.x[i] = from_x_[i] + (to_.x[i] - from_x_[i]) * t;
    l.y[i] = from_y_[i] + (to_.y[i] - from_y_[i]) * t;
  }
  return l;
}

}  // namespace beamscope::ui
