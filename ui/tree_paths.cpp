#include "tree_paths.h"

#include <algorithm>
#include <cmath>

namespace beamscope::ui {

namespace {
// The child of `parent` with `token`, or -1.
int child_with(const TokenTree& tree, int parent, std::int32_t token) {
  for (int c : tree.node(parent).children) {
    if (tree.node(c).token_id == token) return c;
  }
  return -1;
}
}  // namespace

bool decided_at_end(const TokenTree& tree) {
  // Only beam search records a beam sum on its candidates (core/decoding/
  // beam_search.cpp); the first few nodes carry one.
  for (const TreeNode& node : tree.nodes()) {
    if (!std::isnan(node.beam_sum)) return true;
  }
  return false;
}

int decision_step(const TokenTree& tree, int id) {
  return decided_at_end(tree) ? tree.depth() : tree.node(id).step;
}

std::vector<std::int32_t> token_path(const TokenTree& tree, int id) {
  std::vector<std::int32_t> path;
  if (id <= 0 || id >= tree.size()) return path;
  for (int n = id; n > 0; n = tree.node(n).parent) path.push_back(tree.node(n).token_id);
  std::reverse(path.begin(), path.end());
  return path;
}

int find_token_path(const TokenTree& tree, const std::vector<std::int32_t>& path) {
  if (tree.size() == 0) return -1;
  int node = 0;
  for (std::int32_t token : path) {
    node = child_with(tree, node, token);
    if (node < 0) return -1;
  }
  return node;
}

int deepest_on_token_path(const TokenTree& tree, const std::vector<std::int32_t>& path) {
  if (tree.size() == 0) return -1;
  int node = 0;
  for (std::int32_t token : path) {
    const int next = child_with(tree, node, token);
    if (next < 0) break;
    node = next;
  }
  return node;
}

std::vector<ReturnedSequence> sequences_found_in(const TokenTree& from, const TokenTree& to) {
  std::vector<ReturnedSequence> out;
  for (ReturnedSequence s : from.sequences) {
    const int node = find_token_path(to, token_path(from, s.node));
    if (node < 0) continue;
    s.node = node;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace beamscope::ui
