#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "decoding/cached_logits_source.h"
#include "decoding/decode_params.h"
#include "decoding/decoder.h"
#include "decoding/node_distribution.h"
#include "decoding/token_tree.h"

namespace beamscope {

class Tokenizer;

// Everything a strategy needs for one run. A strategy grows `tree` below
// `start_node` (the root, or a node the user forced) by at most `budget`
// tokens, the way HF `generate` would continue from the prompt extended by
// the path to `start_node`.
struct SearchContext {
  TokenTree& tree;
  CachedLogitsSource& logits_source;
  const Tokenizer& tokenizer;
  // Every id that ends a sequence (HF's eos_token_id list); empty = none.
  std::span<const std::int32_t> eos_ids;
  const DecodeParams& params;
  std::span<const std::int32_t> prompt_ids;
  int start_node = 0;
  int budget = 0;
  const StepFn& on_step;

  // prompt + the token path from the root to `node`.
  TokenPrefix prefix_of(int node) const;
  bool is_eos(std::int32_t id) const {
    return std::find(eos_ids.begin(), eos_ids.end(), id) != eos_ids.end();
  }
  // Calls on_step; false means the user cancelled.
  bool report_step(int step) const { return !on_step || on_step(tree, step); }
  // Whether a step that adds at most `new_nodes` nodes keeps the tree within
  // params.max_nodes. Strategies ask before each step with their worst case,
  // so the cap is never crossed, not merely noticed afterwards.
  bool room_for(long long new_nodes) const { return tree.size() + new_nodes <= params.max_nodes; }
};

// True when `params` run HF's beam search; `strategy beam` with num_beams 1
// runs greedy search, as HF does.
inline bool runs_beam_search(const DecodeParams& params) {
  return params.strategy == StrategyKind::Beam && params.num_beams > 1;
}

// How the strategy `params` choose scores every node, as HF `generate` does:
// only sampling runs the warpers (temperature, top-k, ...); beam search feeds
// the chain log-softmax values, greedy search and sampling the raw logits.
// The strategies and "what if" (Decoder::force) score through this one
// object, so a forced token is scored exactly as its strategy would have.
class StrategyChain {
 public:
  explicit StrategyChain(const DecodeParams& params);

  // Sampling from a top-N source draws among the known tokens only, so it
  // renormalises over them even with no stage set (see README "Top-N").
  NodeDistribution distribution(const PrefixLogits& logits, std::span<const std::int32_t> prefix,
                                int listed_count, const Tokenizer& tokenizer) const;
  const SamplerChain& sampler_chain() const { return chain_; }
  // A distribution the strategy is done with: its [vocab] scores array is
  // kept for a later distribution() (greedy's one per step, a beam step's
  // one per beam), so steps in the steady state allocate no such array.
  void recycle(NodeDistribution&& done) const {
    spares_.push_back(std::move(done.processed).take_storage());
  }

 private:
  mutable std::vector<std::vector<double>> spares_;
  SamplerChain chain_;
  ScoreBase base_;
  bool sampling_;
};

// Throws the one sentence for a top-N source whose N is below the `needed`
// candidates a strategy must see per step (beam search: its pool size).
void require_known_candidates(const NodeDistribution& dist, int needed, int num_beams);

struct SearchOutcome {
  std::vector<ReturnedSequence> sequences;  // best first
  bool cancelled = false;
  bool capped = false;  // stopped because the next step could exceed max_nodes
};

SearchOutcome greedy_search(SearchContext& context);
SearchOutcome beam_search(SearchContext& context);
SearchOutcome sample_search(SearchContext& context);

// Child of `parent` for `token` (reused if present), with logprob, rank,
// used_logprob filled from the parent's distribution `dist`.
int grow_child(SearchContext& context, int parent, std::int32_t token,
               const NodeDistribution& dist);
// Adds the listed tokens of `dist.next` that are not children of `node` yet
// as Alternative nodes, and moves `dist.next` into `node` (it is empty after).
void record_distribution(SearchContext& context, int node, NodeDistribution& dist);
// The returned sequence ending at `node`: token_ids and text cover the whole
// generated part (from the root), `score` is given by the strategy.
ReturnedSequence sequence_at(const SearchContext& context, int node, double score);

}  // namespace beamscope
