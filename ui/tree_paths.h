#pragma once

#include <cstdint>
#include <vector>

#include "decoding/token_tree.h"

namespace beamscope::ui {

// Nodes of one tree found again in another. Node ids are positions in one
// snapshot: a new run (or a removed branch) numbers its nodes afresh, so id 3
// of the new tree is an unrelated node. What names a node across trees is its
// path of token ids from the prompt.

// The token ids from the prompt (excluded) down to `id`; empty for the root
// or an id out of range.
std::vector<std::int32_t> token_path(const TokenTree& tree, int id);

// The node at exactly `path`, or -1.
int find_token_path(const TokenTree& tree, const std::vector<std::int32_t>& path);

// The deepest node along `path` (the root when not even its first token is
// there).
int deepest_on_token_path(const TokenTree& tree, const std::vector<std::int32_t>& path);

// Whether beam search grew the tree: it picks what it returns only at its
// last step (a hypothesis that ends early can still be pushed out), while
// greedy and sampling return a sequence at the step that ends it.
bool decided_at_end(const TokenTree& tree);

// The step from which playback may show node `id` as returned (and a path
// ending there as the winner): the tree's last step for beam search, the
// node's own step otherwise.
int decision_step(const TokenTree& tree, int id);

// `from`'s returned sequences whose end nodes are also in `to` (by path),
// renumbered for `to`, in their order.
std::vector<ReturnedSequence> sequences_found_in(const TokenTree& from, const TokenTree& to);

}  // namespace beamscope::ui
