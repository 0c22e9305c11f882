#include "decoding/search_context.h"

#include <algorithm>

#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace beamscope {

StrategyChain::StrategyChain(const DecodeParams& params)
    : chain_(params, params.strategy == StrategyKind::Sample ? ChainScope::Sampling
                                                             : ChainScope::PenaltiesOnly),
      base_(runs_beam_search(params) ? ScoreBase::LogSoftmax : ScoreBase::RawLogits),
      sampling_(params.strategy == StrategyKind::Sample) {}

NodeDistribution StrategyChain::distribution(const PrefixLogits& logits,
                                             std::span<const std::int32_t> prefix, int listed_count,
                                             const Tokenizer& tokenizer) const {
  std::vector<double> storage;
  if (!spares_.empty()) {
    storage = std::move(spares_.back());
    spares_.pop_back();
  }
  NodeDistribution d = make_node_distribution(logits, prefix, chain_, base_, listed_count,
                                              tokenizer, std::move(storage));
  if (sampling_ && d.summary->top_n() && chain_.empty()) {
    d.log_normalizer = d.processed.log_sum_exp();  // over the known tokens
  }
  return d;
}

void require_known_candidates(const NodeDistribution& dist, int needed, int num_beams) {
  if (!dist.summary->top_n() || dist.summary->known >= needed) return;
  throw Error("The server returns only its top " + std::to_string(dist.summary->known) +
              " tokens per step, but beam search with " + std::to_string(num_beams) +
              " beams needs the top " + std::to_string(needed) +
              "; use fewer beams or raise the server's log-prob limit.");
}

TokenPrefix SearchContext::prefix_of(int node) const {
  TokenPrefix prefix(prompt_ids.begin(), prompt_ids.end());
  const std::vector<std::int32_t> path = tree.path_tokens(node);
  prefix.insert(prefix.end(), path.begin(), path.end());
  return prefix;
}

int grow_child(SearchContext& context, int parent, std::int32_t token,
               const NodeDistribution& dist) {
  const double raw = dist.raw_logprob(token);
  int child = 0;
  if (auto existing = context.tree.find_child(parent, token)) {
    child = *existing;
  } else {
    // A node's children are its taken tokens and its listed alternatives:
    // room for those at the first, so the array grows once.
    std::vector<int>& siblings = context.tree.node(parent).children;
    if (siblings.empty()) {
      siblings.reserve(1 + static_cast<std::size_t>(std::max(context.params.alternatives, 0)));
    }
    child = context.tree.add_child(parent, token, token_text(context.tokenizer, token), raw);
  }
  TreeNode& n = context.tree.node(child);
  n.used_logprob = dist.used_logprob(token);
  n.rank = dist.raw_rank(token);
  return child;
}

void record_distribution(SearchContext& context, int node, NodeDistribution& dist) {
  // The distribution may list more tokens than the tree shows (the
  // inspector's rows): only the first `alternatives` become nodes.
  const std::size_t shown =
      std::min(dist.next.token_ids.size(),
               static_cast<std::size_t>(std::max(context.params.alternatives, 0)));
  // Room for them at once: the children array grows once, not per child.
  std::vector<int>& children = context.tree.node(node).children;
  children.reserve(children.size() + shown);
  for (std::size_t i = 0; i < shown; ++i) {
    const std::int32_t id = dist.next.token_ids[i];
    if (context.tree.find_child(node, id)) continue;
    const int alt = grow_child(context, node, id, dist);
    TreeNode& n = context.tree.node(alt);
    n.status = NodeStatus::Alternative;
    n.reason = NodeReason{.code = ReasonCode::Listed, .listed = static_cast<int>(shown)};
  }
  // Moved, not copied: the node keeps the lists the step made.
  context.tree.node(node).next = std::move(dist.next);
}

ReturnedSequence sequence_at(const SearchContext& context, int node, double score) {
  ReturnedSequence s;
  s.node = node;
  s.token_ids = context.tree.path_tokens(node);
  // The tokenizer's own decoder (so SentencePiece's "▁" and byte pieces come
  // out as the reference's decode() has them); an id the tokenizer does not
  // know (a model's padded rows) makes it one label per token instead.
  try {
    s.text = context.tokenizer.decode(s.token_ids);
  } catch (const Error&) {
    s.text.clear();
    for (std::int32_t id : s.token_ids) s.text += token_text(context.tokenizer, id);
  }
  s.score = score;
  s.cum_logprob = context.tree.node(node).cum_logprob;
  return s;
}

}  // namespace beamscope
