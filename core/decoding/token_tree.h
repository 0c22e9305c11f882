#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decoding/node_reason.h"

namespace beamscope {

enum class NodeStatus {
  Root,         // the prompt
  Selected,     // on a path the strategy took (still running or intermediate)
  Alternative,  // shown from the distribution but never taken
  Pruned,       // was a beam candidate and lost
  Finished,     // ended (EOS or max length) but not among the returned answers
  Returned,     // end of a sequence in the final answer
};
std::string_view to_string(NodeStatus status);
std::optional<NodeStatus> parse_node_status(std::string_view name);
// True for a token the strategy took (a path went through it or ended at
// it): Selected, Finished or Returned. A "what if" can only force the others.
bool is_taken(NodeStatus status);

// What one sampler stage did to a node's listed next-token candidates.
struct StageCut {
  std::string stage;         // "temperature", "top_k", "top_p", "min_p", ...
  std::vector<float> probs;  // per listed candidate: prob after the stage
                             // (renormalised over survivors), 0 if removed
  // The stage's cut in probability terms where it has one (min-p: min_p *
  // p_max; top-p: the kept mass); NaN otherwise.
  double threshold = std::numeric_limits<double>::quiet_NaN();
  int kept_total = 0;  // survivors over the whole vocabulary

  // NaN thresholds compare equal (a saved and reloaded cut equals the original).
  bool operator==(const StageCut& other) const;
};

// A node's own next-token distribution: the top-N tokens by raw probability
// and, per stage in chain order, which of them survived.
struct NextTokenDistribution {
  std::vector<std::int32_t> token_ids;
  std::vector<std::string> texts;  // raw bytes of each token (like TreeNode::text)
  std::vector<float> logprobs;     // raw log-softmax
  std::vector<StageCut> stages;
  // 0: from dense logits. N > 0: the source knew only its top N tokens
  // (a server's top log-probs); `unknown_mass` is the probability of all
  // the others together, and the stages ran over the N known tokens only.
  int known = 0;
  double unknown_mass = 0.0;

  bool empty() const { return token_ids.empty(); }
  bool operator==(const NextTokenDistribution&) const = default;
};

struct TreeNode {
  int id = 0;
  int parent = -1;  // -1 for the root
  int step = 0;     // 0 = root, 1 = first generated token, ...
  std::int32_t token_id = -1;
  std::string text;           // raw bytes of the token
  double logprob = 0.0;       // raw log-softmax given the prefix
  double used_logprob = 0.0;  // log-prob the strategy used; -inf if removed
  double cum_logprob = 0.0;   // sum of logprob along the path
  double cum_prob = 1.0;      // exp(cum_logprob)
  double beam_sum = std::numeric_limits<double>::quiet_NaN();  // beams only
  int rank = 0;  // among siblings by raw logprob (0 = best)
  NodeStatus status = NodeStatus::Root;
  NodeReason reason;           // why the status (worded by describe_reason)
  int count = 0;               // sampling: samples that passed through
  bool forced = false;         // chosen by the user ("what if")
  std::vector<int> children;   // ids, in insertion order
  NextTokenDistribution next;  // may be empty

  // Field by field; NaN equals NaN (beam_sum is NaN outside beam search).
  bool operator==(const TreeNode& other) const;
};

struct ReturnedSequence {
  int node = 0;                         // last node of the sequence
  std::vector<std::int32_t> token_ids;  // generated part only
  std::string text;
  double score = 0.0;        // beam: HF sequences_scores; greedy/sample:
                             // sum of the processed log-probs
  double cum_logprob = 0.0;  // sum of raw log-probs
  int count = 0;             // sampling: samples that ended here

  bool operator==(const ReturnedSequence&) const = default;
};

// Every decision of a decoding run. Node 0 is the root (the prompt). Nodes are
// only appended, so an id stays valid and a prefix of `nodes()` is a valid
// earlier tree (this is what playback and streaming rely on).
class TokenTree {
 public:
  TokenTree();

  int size() const { return static_cast<int>(nodes_.size()); }
  const TreeNode& node(int id) const { return nodes_.at(static_cast<std::size_t>(id)); }
  TreeNode& node(int id) { return nodes_.at(static_cast<std::size_t>(id)); }
  const std::vector<TreeNode>& nodes() const { return nodes_; }

  // Appends a child of `parent` with the given token; fills id, parent, step,
  // cum_logprob/cum_prob from the parent and `logprob`. Returns the new id.
  int add_child(int parent, std::int32_t token_id, std::string text, double logprob);
  std::optional<int> find_child(int parent, std::int32_t token_id) const;
  // Token ids from the root (exclusive) to `id` (inclusive).
  std::vector<std::int32_t> path_tokens(int id) const;
  // Node ids from the root (inclusive) to `id` (inclusive).
  std::vector<int> path_nodes(int id) const;
  // Removes the subtree at `id` (what-if branch removal). Ids after it are
  // renumbered densely; returns the old->new id map (-1 for removed).
  std::vector<int> remove_subtree(int id);

  // The largest step of any node (0 for a tree that is just the prompt).
  int depth() const;

  std::vector<ReturnedSequence> sequences;  // best first

  bool operator==(const TokenTree&) const = default;

 private:
  std::vector<TreeNode> nodes_;
};

}  // namespace beamscope
