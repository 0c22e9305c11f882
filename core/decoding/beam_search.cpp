// Beam search with the semantics of the vectorised `_beam_search` of current
// Hugging Face transformers (not beam-sample: warpers do not apply).
//
// Per step (generated length L = step, counted from the start node):
//  1. For each running beam: processed log-probs = processors(log_softmax(
//     logits)), candidate value = beam sum + processed log-prob.
//  2. The pool: the top K = max(2, 1 + n_eos) * num_beams candidates over all
//     beams x vocabulary, best first (ties: lower beam, then lower id). On the
//     first step only the start beam expands (HF initialises the other beams
//     at -1e9).
//  3. A candidate hits a stop if its token is EOS or L == max_new_tokens.
//  4. Next running beams: the best num_beams candidates that did not stop.
//  5. Candidates ranked < num_beams that stopped become hypotheses with score
//     sum / L^length_penalty; the best num_beams hypotheses are kept.
//  6. Stop when: early_stopping=true and num_beams hypotheses are kept; or
//     (false / "never") num_beams are kept and the best running sum /
//     L'^lp is not better than the worst kept score, where L' = L, or
//     max_new_tokens for "never" with lp > 0; or every candidate stopped.
// Returned: the best num_return_sequences hypotheses.
//
// Older transformers (BeamSearchScorer) turned the running beams into
// hypotheses at max length; here, as in current transformers, the top-ranked
// candidates of the last step are (every candidate hits the stop then).
//
// Every pool candidate becomes a node: selected (a running beam), finished
// (a hypothesis, kept or not), or pruned, with the reason.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "decoding/search_context.h"

namespace beamscope {

namespace {

struct Beam {
  int node = 0;
  double sum = 0.0;  // sum of processed log-probs since the start node
};

struct Candidate {
  int beam = 0;   // index into the running beams
  int order = 0;  // place in the pool before sorting: ties keep it (HF's flat index order)
  std::int32_t token = 0;
  double value = 0.0;  // beam sum + processed log-prob
  int node = -1;
  bool stops = false;
};

struct Hypothesis {
  int node = 0;
  double score = 0.0;  // sum / L^lp
  int order = 0;       // place in the merged list: ties keep it (kept ones first)
};

// The best `k` of all (beam, token) pairs, best first; ties as HF's flat
// index (beam * vocab + token) order.
// `ids`: scratch. The sorts are std::sort on (value, order), which is the
// stable sort by value without the buffer std::stable_sort allocates.
void candidate_pool(const std::vector<Beam>& beams, const std::vector<NodeDistribution>& dists,
                    int k, std::vector<Candidate>& pool, std::vector<std::int32_t>& ids) {
  pool.clear();
  for (std::size_t b = 0; b < beams.size(); ++b) {
    const VocabLogits& s = dists[b].processed;
    // Only this beam's own top k can reach the overall top k.
    s.best_alive_into(static_cast<std::size_t>(k), std::numeric_limits<std::size_t>::max(), ids);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      pool.push_back(Candidate{static_cast<int>(b), static_cast<int>(pool.size()), ids[i],
                               beams[b].sum + dists[b].used_logprob(ids[i])});
    }
  }
  std::sort(pool.begin(), pool.end(), [](const Candidate& x, const Candidate& y) {
    return x.value > y.value || (x.value == y.value && x.order < y.order);
  });
  if (pool.size() > static_cast<std::size_t>(k)) pool.resize(static_cast<std::size_t>(k));
}

}  // namespace

SearchOutcome beam_search(SearchContext& ctx) {
  const DecodeParams& p = ctx.params;
  const int num_beams = p.num_beams;
  const double lp = p.length_penalty;
  const int n_eos = static_cast<int>(ctx.eos_ids.size());
  const int pool_size = std::max(2, 1 + n_eos) * num_beams;
  const StrategyChain strategy_chain(p);
  const int base_step = ctx.tree.node(ctx.start_node).step;

  SearchOutcome out;
  std::vector<Beam> running{Beam{ctx.start_node, 0.0}};
  std::vector<Hypothesis> kept;  // best first, at most num_beams
  // Per step, beside the model step, the work reuses these arrays (issue 18:
  // nothing allocated and thrown away per step in the steady state). Each
  // running beam's prefix is its parent beam's plus one token, built into
  // the other of two sets of prefixes, reserved for the whole budget.
  const std::size_t longest =
      ctx.prefix_of(ctx.start_node).size() + static_cast<std::size_t>(std::max(ctx.budget, 0));
  std::vector<TokenPrefix> prefixes{ctx.prefix_of(ctx.start_node)}, next_prefixes;
  prefixes.front().reserve(longest);
  std::vector<PrefixLogits> logits;
  std::vector<NodeDistribution> dists;
  std::vector<Candidate> pool;
  std::vector<Beam> next;
  std::vector<Hypothesis> merged;
  std::vector<std::int32_t> best_ids;

  for (int step = 1; step <= ctx.budget && !running.empty(); ++step) {
    // The candidate pool plus each running beam's listed alternatives.
    if (!ctx.room_for(pool_size + static_cast<long long>(running.size()) * p.alternatives)) {
      out.capped = true;
      break;
    }
    const double length_factor = std::pow(static_cast<double>(step), lp);
    // One batched step for all beams.
    ctx.logits_source.logits_for(std::span<const TokenPrefix>(prefixes).first(running.size()),
                                 logits);
    dists.clear();
    for (std::size_t b = 0; b < running.size(); ++b) {
      dists.push_back(strategy_chain.distribution(logits[b], prefixes[b],
                                                  recorded_distribution_size(p), ctx.tokenizer));
      require_known_candidates(dists.back(), pool_size, num_beams);
    }

    candidate_pool(running, dists, pool_size, pool, best_ids);
    // Every pool candidate's reason starts from its place in the pool.
    const auto pool_reason = [&](std::size_t i, ReasonCode code) {
      const Candidate& c = pool[i];
      return NodeReason{.code = code,
                        .stop = !c.stops              ? StopCause::None
                                : ctx.is_eos(c.token) ? StopCause::Eos
                                                      : StopCause::MaxLength,
                        .pool_rank = static_cast<int>(i + 1),
                        .pool_size = static_cast<int>(pool.size()),
                        .num_beams = num_beams};
    };
    for (Candidate& c : pool) {
      c.stops = ctx.is_eos(c.token) || step == ctx.budget;
      c.node = grow_child(ctx, running[static_cast<std::size_t>(c.beam)].node, c.token,
                          dists[static_cast<std::size_t>(c.beam)]);
      ctx.tree.node(c.node).beam_sum = c.value;
    }

    // Next running beams: the best num_beams candidates that did not stop.
    next.clear();
    for (std::size_t i = 0; i < pool.size(); ++i) {
      const Candidate& c = pool[i];
      TreeNode& n = ctx.tree.node(c.node);
      if (!c.stops && static_cast<int>(next.size()) < num_beams) {
        next.push_back(Beam{c.node, c.value});
        if (next_prefixes.size() < next.size()) {
          next_prefixes.emplace_back().reserve(longest);
        }
        const TokenPrefix& parent = prefixes[static_cast<std::size_t>(c.beam)];
        TokenPrefix& child = next_prefixes[next.size() - 1];
        child.assign(parent.begin(), parent.end());
        child.push_back(c.token);
        n.status = NodeStatus::Selected;
        n.reason = pool_reason(i, ReasonCode::BeamRunning);
        n.reason.beam = static_cast<int>(next.size());
      } else if (!c.stops) {
        n.status = NodeStatus::Pruned;
        n.reason = pool_reason(i, ReasonCode::BeamPruned);
      } else if (static_cast<int>(i) >= num_beams) {
        n.status = NodeStatus::Pruned;
        n.reason = pool_reason(i, ReasonCode::BeamStopOutsideTop);
      }
    }

    // New hypotheses: stopped candidates ranked < num_beams, merged with the
    // kept ones (kept first on ties, as HF's concatenation order).
    merged.assign(kept.begin(), kept.end());
    for (std::size_t i = 0; i < pool.size() && static_cast<int>(i) < num_beams; ++i) {
      const Candidate& c = pool[i];
      if (!c.stops) continue;
      const double score = c.value / length_factor;
      merged.push_back(Hypothesis{c.node, score});
      TreeNode& n = ctx.tree.node(c.node);
      n.status = NodeStatus::Finished;
      n.reason = pool_reason(i, ReasonCode::BeamHypothesis);
      n.reason.sum = c.value;
      n.reason.length = step;
      n.reason.length_penalty = lp;
      n.reason.score = score;
    }
    for (std::size_t i = 0; i < merged.size(); ++i) merged[i].order = static_cast<int>(i);
    std::sort(merged.begin(), merged.end(), [](const Hypothesis& a, const Hypothesis& b) {
      return a.score > b.score || (a.score == b.score && a.order < b.order);
    });
    for (std::size_t i = static_cast<std::size_t>(num_beams); i < merged.size(); ++i) {
      ctx.tree.node(merged[i].node).reason.dropped_at_step = base_step + step;
    }
    if (merged.size() > static_cast<std::size_t>(num_beams))
      merged.resize(static_cast<std::size_t>(num_beams));
    kept.swap(merged);

    for (std::size_t b = 0; b < running.size(); ++b) {
      record_distribution(ctx, running[b].node, dists[b]);
      strategy_chain.recycle(std::move(dists[b]));
    }
    running.swap(next);
    // The new beams' prefixes (the first running.size() of the set; the old
    // set's arrays are reused next step).
    prefixes.swap(next_prefixes);

    // Stopping rules (HF _check_early_stop_heuristic and
    // _beam_search_has_unfinished_sequences).
    const bool all_kept = static_cast<int>(kept.size()) == num_beams;
    bool done = std::all_of(pool.begin(), pool.end(), [](const Candidate& c) { return c.stops; });
    if (all_kept && p.early_stopping == EarlyStopping::True) done = true;
    if (all_kept && !running.empty()) {
      const int hypothetical_length =
          p.early_stopping == EarlyStopping::Never && lp > 0.0 ? ctx.budget : step;
      const double best_possible =
          running.front().sum / std::pow(static_cast<double>(hypothetical_length), lp);
      if (!(best_possible > kept.back().score)) done = true;
    }
    if (done || step == ctx.budget) {
      ctx.report_step(base_step + step);
      break;
    }
    if (!ctx.report_step(base_step + step)) {
      out.cancelled = true;
      break;
    }
  }

  const std::size_t returned =
      std::min(kept.size(), static_cast<std::size_t>(p.num_return_sequences));
  for (std::size_t i = 0; i < returned; ++i) {
    TreeNode& n = ctx.tree.node(kept[i].node);
    n.status = NodeStatus::Returned;
    n.reason.answer = static_cast<int>(i + 1);
    out.sequences.push_back(sequence_at(ctx, kept[i].node, kept[i].score));
  }
  return out;
}

}  // namespace beamscope
