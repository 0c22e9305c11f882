#include "decoding/token_tree.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace beamscope {

namespace {
constexpr std::array<std::pair<NodeStatus, std::string_view>, 6> kStatusNames{{
    {NodeStatus::Root, "root"},
    {NodeStatus::Selected, "selected"},
    {NodeStatus::Alternative, "alternative"},
    {NodeStatus::Pruned, "pruned"},
    {NodeStatus::Finished, "finished"},
    {NodeStatus::Returned, "returned"},
}};

// Equal values, or both NaN.
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }
}  // namespace

bool StageCut::operator==(const StageCut& o) const {
  return stage == o.stage && probs == o.probs && same(threshold, o.threshold) &&
         kept_total == o.kept_total;
}

bool TreeNode::operator==(const TreeNode& o) const {
  return id == o.id && parent == o.parent && step == o.step && token_id == o.token_id &&
         text == o.text && same(logprob, o.logprob) && same(used_logprob, o.used_logprob) &&
         same(cum_logprob, o.cum_logprob) && same(cum_prob, o.cum_prob) &&
         same(beam_sum, o.beam_sum) && rank == o.rank && status == o.status && reason == o.reason &&
         count == o.count && forced == o.forced && children == o.children && next == o.next;
}

std::string_view to_string(NodeStatus status) {
  for (const auto& [s, name] : kStatusNames) {
    if (s == status) return name;
  }
  return "unknown";
}

std::optional<NodeStatus> parse_node_status(std::string_view name) {
  for (const auto& [s, n] : kStatusNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

bool is_taken(NodeStatus status) {
  return status == NodeStatus::Selected || status == NodeStatus::Finished ||
         status == NodeStatus::Returned;
}

TokenTree::TokenTree() {
  TreeNode root;
  root.status = NodeStatus::Root;
  nodes_.push_back(std::move(root));
}

int TokenTree::add_child(int parent, std::int32_t token_id, std::string text, double logprob) {
  const TreeNode& p = node(parent);
  TreeNode child;
  child.id = size();
  child.parent = parent;
  child.step = p.step + 1;
  child.token_id = token_id;
  child.text = std::move(text);
  child.logprob = logprob;
  child.used_logprob = logprob;
  child.cum_logprob = p.cum_logprob + logprob;
  child.cum_prob = std::exp(child.cum_logprob);
  child.status = NodeStatus::Alternative;
  nodes_.push_back(std::move(child));
  nodes_[static_cast<std::size_t>(parent)].children.push_back(nodes_.back().id);
  return nodes_.back().id;
}

std::optional<int> TokenTree::find_child(int parent, std::int32_t token_id) const {
  for (int c : node(parent).children) {
    if (node(c).token_id == token_id) return c;
  }
  return std::nullopt;
}

std::vector<int> TokenTree::path_nodes(int id) const {
  std::vector<int> path;
  for (int n = id; n >= 0; n = node(n).parent) path.push_back(n);
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<std::int32_t> TokenTree::path_tokens(int id) const {
  std::vector<std::int32_t> tokens;
  for (int n : path_nodes(id)) {
    if (node(n).parent >= 0) tokens.push_back(node(n).token_id);
  }
  return tokens;
}

int TokenTree::depth() const {
  int depth = 0;
  for (const TreeNode& n : nodes_) depth = std::max(depth, n.step);
  return depth;
}

std::vector<int> TokenTree::remove_subtree(int id) {
  std::vector<int> remap(nodes_.size(), 0);
  if (id <= 0 || id >= size()) {
    for (std::size_t i = 0; i < remap.size(); ++i) remap[i] = static_cast<int>(i);
    return remap;
  }
  // Parents always precede children, so one forward pass marks the subtree.
  std::vector<bool> removed(nodes_.size(), false);
  removed[static_cast<std::size_t>(id)] = true;
  for (std::size_t i = static_cast<std::size_t>(id) + 1; i < nodes_.size(); ++i) {
    const int p = nodes_[i].parent;
    removed[i] = p >= 0 && removed[static_cast<std::size_t>(p)];
  }
  int next = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) remap[i] = removed[i] ? -1 : next++;

  std::vector<TreeNode> kept;
  kept.reserve(static_cast<std::size_t>(next));
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (removed[i]) continue;
    TreeNode n = std::move(nodes_[i]);
    n.id = remap[i];
    if (n.parent >= 0) n.parent = remap[static_cast<std::size_t>(n.parent)];
    std::vector<int> children;
    for (int c : n.children) {
      if (remap[static_cast<std::size_t>(c)] >= 0)
        children.push_back(remap[static_cast<std::size_t>(c)]);
    }
    n.children = std::move(children);
    kept.push_back(std::move(n));
  }
  nodes_ = std::move(kept);
  std::vector<ReturnedSequence> seqs;
  for (ReturnedSequence s : sequences) {
    if (remap[static_cast<std::size_t>(s.node)] < 0) continue;
    s.node = remap[static_cast<std::size_t>(s.node)];
    seqs.push_back(std::move(s));
  }
  sequences = std::move(seqs);
  return remap;
}

}  // namespace beamscope
