// Multinomial sampling (HF `_sample` with do_sample=True: the processors and
// warpers act on the raw logits, in the chain order of `params.order`), N
// samples merged into one tree.
//
// Reproducibility contract (same seed + same params + same logits -> same
// tree): one std::mt19937_64 seeded with `params.seed`. Samples advance in
// lock step; at each step every still-running sample, in sample order, draws
// u = (rng() >> 11) * 2^-53 in [0, 1) and takes the first token, in order of
// decreasing processed probability (ties: lower id first), at which the
// cumulative probability exceeds u. A sample ends at EOS or after
// max_new_tokens tokens.
//
// Sequence score = sum of the processed log-probs of its tokens (log of the
// probabilities it was actually drawn with). `sequences` holds each distinct
// sample once with `count`, best score first.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "decoding/search_context.h"

namespace beamscope {

namespace {

struct Sample {
  int node = 0;
  double score = 0.0;
  bool done = false;
};

// Survivors, most probable first, and the cumulative probabilities in that
// order, summed only as far as the draws have reached: most draws stop within
// the first tokens, and a longer reach extends the same sum in the same order.
// The survivors are listed the same way, a head at a time (best_alive gives
// exactly the head of the sorted survivors): listing all of them per node was
// a third of a slider change's re-run on a cached tree, and a sort of the
// whole vocabulary when a large one has no survivor list.
struct DrawTable {
  const NodeDistribution* dist = nullptr;
  std::size_t alive = 0;           // survivors in all
  std::vector<std::int32_t> ids;   // the best ids.size() of them, best first
  std::vector<double> cumulative;  // [0, cumulative.size()) of ids
};

// Survivors listed first, then four times as many at each further reach.
constexpr std::size_t kFirstListed = 32;

void list_more(DrawTable& t) {
  const std::size_t want = t.ids.empty() ? kFirstListed : 4 * t.ids.size();
  t.ids = t.dist->processed.best_alive(want, t.alive);
}

DrawTable draw_table(const NodeDistribution& dist) {
  DrawTable t;
  t.dist = &dist;
  // The chain counted the survivors after its last stage (nothing changes
  // the scores after it); with no stage they are counted here.
  const auto& stages = dist.next.stages;
  t.alive = static_cast<std::size_t>(stages.empty() ? dist.processed.alive_count()
                                                    : stages.back().kept_total);
  list_more(t);
  return t;
}

// The first token at which the cumulative probability exceeds u.
std::int32_t draw(DrawTable& t, double u) {
  auto hit = std::upper_bound(t.cumulative.begin(), t.cumulative.end(), u);
  if (hit != t.cumulative.end()) return t.ids[static_cast<std::size_t>(hit - t.cumulative.begin())];
  double cumulative = t.cumulative.empty() ? 0.0 : t.cumulative.back();
  for (;;) {
    for (std::size_t i = t.cumulative.size(); i < t.ids.size(); ++i) {
      cumulative += std::exp(t.dist->used_logprob(t.ids[i]));
      t.cumulative.push_back(cumulative);
      if (u < cumulative) return t.ids[i];
    }
    if (t.ids.size() >= t.alive) break;
    list_more(t);
  }
  return t.ids.empty() ? -1 : t.ids.back();  // u beyond the rounded total
}

}  // namespace

SearchOutcome sample_search(SearchContext& ctx) {
  const StrategyChain strategy_chain(ctx.params);
  std::mt19937_64 rng(ctx.params.seed);
  SearchOutcome out;
  std::vector<Sample> samples(static_cast<std::size_t>(ctx.params.num_samples),
                              Sample{ctx.start_node});
  ctx.tree.node(ctx.start_node).count += ctx.params.num_samples;

  for (int step = 1; step <= ctx.budget; ++step) {
    // Distinct nodes the running samples sit on, in first-seen order.
    std::vector<int> nodes;
    for (const Sample& s : samples) {
      if (!s.done && std::find(nodes.begin(), nodes.end(), s.node) == nodes.end())
        nodes.push_back(s.node);
    }
    if (nodes.empty()) break;
    // One child per running sample plus each node's listed alternatives.
    const auto running =
        std::count_if(samples.begin(), samples.end(), [](const Sample& s) { return !s.done; });
    if (!ctx.room_for(running + static_cast<long long>(nodes.size()) * ctx.params.alternatives)) {
      out.capped = true;
      break;
    }
    std::vector<TokenPrefix> prefixes;
    for (int n : nodes) prefixes.push_back(ctx.prefix_of(n));
    const auto logits = ctx.logits_source.logits_for(prefixes);  // one batched step for all misses
    std::map<int, NodeDistribution> dists;
    std::map<int, DrawTable> tables;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      dists[nodes[i]] = strategy_chain.distribution(
          logits[i], prefixes[i], recorded_distribution_size(ctx.params), ctx.tokenizer);
      tables[nodes[i]] = draw_table(dists[nodes[i]]);
    }

    for (std::size_t i = 0; i < samples.size(); ++i) {
      Sample& s = samples[i];
      if (s.done) continue;
      const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
      const NodeDistribution& dist = dists.at(s.node);
      const std::int32_t token = draw(tables.at(s.node), u);
      if (token < 0) {  // a penalty banned every token
        s.done = true;
        continue;
      }
      const int child = grow_child(ctx, s.node, token, dist);
      TreeNode& n = ctx.tree.node(child);
      n.count += 1;
      s.score += dist.used_logprob(token);
      s.node = child;
      if (n.status != NodeStatus::Returned) {
        n.status = NodeStatus::Selected;
        n.reason = NodeReason{.code = ReasonCode::Sampled};
      }
      if (ctx.is_eos(token) || step == ctx.budget) {
        s.done = true;
        n.status = NodeStatus::Returned;
        n.reason = NodeReason{.code = ReasonCode::Sampled,
                              .stop = ctx.is_eos(token) ? StopCause::Eos : StopCause::MaxLength};
      }
    }
    for (int n : nodes) record_distribution(ctx, n, dists.at(n));

    const bool all_done =
        std::all_of(samples.begin(), samples.end(), [](const Sample& s) { return s.done; });
    if (!ctx.report_step(ctx.tree.node(ctx.start_node).step + step) && !all_done) {
      out.cancelled = true;
      break;
    }
    if (all_done) break;
  }

  // Each distinct finished sample once, with how many samples produced it.
  std::map<int, std::pair<double, int>> ends;  // node -> (score, count)
  for (const Sample& s : samples) {
    if (!s.done || s.node == ctx.start_node) continue;
    auto& [score, count] = ends[s.node];
    score = s.score;
    ++count;
  }
  for (const auto& [node, value] : ends) {
    ReturnedSequence seq = sequence_at(ctx, node, value.first);
    seq.count = value.second;
    out.sequences.push_back(std::move(seq));
  }
  std::stable_sort(
      out.sequences.begin(), out.sequences.end(),
      [](const ReturnedSequence& a, const ReturnedSequence& b) { return a.score > b.score; });
  return out;
}

}  // namespace beamscope
