#include "decoding/kv_prefix_tree.h"

#include <algorithm>
#include <stdexcept>

#include "model/kv_cache.h"

namespace beamscope {

struct KvPrefixTree::Node {
  std::int32_t token = 0;
  Node* parent = nullptr;
  // Few per node (the beams or samples that branched here): a linear scan
  // beats a map at these sizes.
  std::vector<std::unique_ptr<Node>> children;
  std::unique_ptr<KvCache> kv;   // leaves only
  std::size_t holder_index = 0;  // in holders_, while kv is set
  std::uint64_t used = 0;

  Node* child(std::int32_t t) const {
    for (const auto& c : children) {
      if (c->token == t) return c.get();
    }
    return nullptr;
  }
};

namespace {
// A node that gets a child often gets a second (beams branch, samples
// diverge): room for two at once, so a branch does not reallocate.
template <class Node>
void reserve_children(Node* n) {
  if (n->children.empty()) n->children.reserve(2);
}
}  // namespace

KvPrefixTree::KvPrefixTree() : root_(std::make_unique<Node>()) {}

KvPrefixTree::~KvPrefixTree() { clear(); }

void KvPrefixTree::clear() {
  // Iteratively: a chain as long as the context would overflow the stack
  // through nested unique_ptr destructors.
  std::vector<std::unique_ptr<Node>> pending;
  for (auto& c : root_->children) pending.push_back(std::move(c));
  root_->children.clear();
  while (!pending.empty()) {
    std::unique_ptr<Node> n = std::move(pending.back());
    pending.pop_back();
    for (auto& c : n->children) pending.push_back(std::move(c));
  }
  holders_.clear();
  nodes_ = 0;
}

KvPrefixTree::Node* KvPrefixTree::walk(std::span<const std::int32_t> tokens, std::size_t& depth) {
  const std::uint64_t now = ++clock_;
  Node* n = root_.get();
  depth = 0;
  for (std::int32_t t : tokens) {
    Node* c = n->child(t);
    if (!c) break;
    n = c;
    n->used = now;
    ++depth;
  }
  return n;
}

std::size_t KvPrefixTree::longest_stored(std::span<const std::int32_t> tokens) {
  std::size_t depth = 0;
  walk(tokens, depth);
  return depth;
}

std::unique_ptr<KvCache> KvPrefixTree::cache_for(std::span<const std::int32_t> tokens,
                                                 std::size_t length) {
  std::size_t depth = 0;
  Node* n = walk(tokens.first(length), depth);
  if (depth != length || length == 0) return nullptr;
  Node* leaf = n;
  while (!leaf->kv) leaf = leaf->children.front().get();  // every leaf holds a cache
  leaf->used = clock_;
  std::unique_ptr<KvCache> kv = leaf->kv->clone();
  if (leaf != n) kv->truncate(static_cast<int>(length));
  return kv;
}

void KvPrefixTree::store(std::span<const std::int32_t> tokens, std::unique_ptr<KvCache> kv) {
  std::size_t depth = 0;
  Node* n = walk(tokens, depth);
  if (depth == tokens.size()) return;  // stored already: keep the positions others share
  if (n->kv) {  // n becomes an inner node: its positions live on in the new leaf
    release_holder(n);
  }
  for (std::size_t i = depth; i < tokens.size(); ++i) {
    auto c = std::make_unique<Node>();
    c->token = tokens[i];
    c->parent = n;
    c->used = clock_;
    reserve_children(n);
    n->children.push_back(std::move(c));
    n = n->children.back().get();
    ++nodes_;
  }
  n->kv = std::move(kv);
  n->holder_index = holders_.size();
  holders_.push_back(n);
}

KvCache* KvPrefixTree::own_cache_at(std::span<const std::int32_t> tokens, std::size_t length) {
  std::size_t depth = 0;
  Node* n = walk(tokens.first(length), depth);
  if (depth != length || length == 0 || !n->kv || !n->children.empty()) return nullptr;
  return n->kv.get();
}

void KvPrefixTree::extend(std::span<const std::int32_t> tokens) {
  std::size_t depth = 0;
  Node* n = walk(tokens.first(tokens.size() - 1), depth);
  if (depth + 1 != tokens.size() || !n->kv || !n->children.empty() ||
      n->kv->length() != static_cast<int>(tokens.size())) {
    throw std::logic_error("KvPrefixTree::extend: the parent does not hold the grown cache");
  }
  auto c = std::make_unique<Node>();
  c->token = tokens.back();
  c->parent = n;
  c->used = clock_;
  c->kv = std::move(n->kv);
  reserve_children(n);
  c->holder_index = n->holder_index;
  holders_[c->holder_index] = c.get();
  n->children.push_back(std::move(c));
  ++nodes_;
}

void KvPrefixTree::release_holder(Node* n) {
  Node* last = holders_.back();
  holders_[n->holder_index] = last;
  last->holder_index = n->holder_index;
  holders_.pop_back();
  n->kv.reset();
}

void KvPrefixTree::drop_leaf(Node* leaf) {
  release_holder(leaf);
  Node* n = leaf;
  while (n != root_.get() && n->children.empty()) {
    Node* parent = n->parent;
    auto& siblings = parent->children;
    siblings.erase(std::find_if(siblings.begin(), siblings.end(),
                                [n](const std::unique_ptr<Node>& c) { return c.get() == n; }));
    --nodes_;
    n = parent;
  }
}

std::size_t KvPrefixTree::bytes() const {
  // Usually one storage (the model's page pool) for every holder: each new
  // one is counted when met, checked against the holders before it only
  // when it differs from the last one seen, so the common case allocates
  // nothing and is one pass.
  std::size_t total = 0;
  const void* last = nullptr;
  for (std::size_t i = 0; i < holders_.size(); ++i) {
    const void* storage = holders_[i]->kv->storage();
    if (storage == last) continue;
    last = storage;
    bool counted = false;
    for (std::size_t j = 0; j < i && !counted; ++j) counted = holders_[j]->kv->storage() == storage;
    if (!counted) total += holders_[i]->kv->storage_bytes();
  }
  return total;
}

void KvPrefixTree::evict_to(std::size_t budget) {
  if (holders_.size() <= 1 || bytes() <= budget) return;
  std::vector<Node*> oldest_first = holders_;
  std::sort(oldest_first.begin(), oldest_first.end(),
            [](const Node* a, const Node* b) { return a->used < b->used; });
  for (Node* leaf : oldest_first) {
    if (holders_.size() <= 1 || bytes() <= budget) break;
    drop_leaf(leaf);
  }
}

}  // namespace beamscope
