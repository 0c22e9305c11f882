#include "tree_paths.h"

#include <algorithm>

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
