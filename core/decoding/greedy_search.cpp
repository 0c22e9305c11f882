// Greedy search, as HF `_sample` with do_sample=False: the processors
// (penalties) act on the raw logits and the argmax of the processed scores is
// taken (ties to the lower id, like torch.argmax). Warpers (temperature,
// top-k, ...) do not apply, as in HF.
//
// Sequence score = sum of the processed log-probs (log_softmax of the
// processed scores) of the generated tokens. `strategy beam` with num_beams 1
// also lands here (HF runs greedy search then); its score is then the beam
// score of that path: sum of processed log-softmax values / length^lp.
#include <algorithm>
#include <cmath>

#include "decoding/search_context.h"

namespace beamscope {

namespace {

// What beam search would add to its sum for `token`: the processed log-softmax
// value (HF's beam search runs the processors on log-softmax, not on the raw
// logits greedy search takes its argmax from). Without processors that is the
// raw log-prob the greedy scoring already has, so the vocabulary is processed
// a second time only when a penalty is set.
double beam_value(const NodeDistribution& dist, const SamplerChain& chain,
                  std::span<const std::int32_t> prefix, std::int32_t token) {
  if (chain.empty()) return dist.raw_logprob(token);
  VocabLogits processed(dist.summary->log_softmax(*dist.logits));
  chain.apply(processed, StageContext{prefix});
  return processed.alive(token) ? processed[token] : kRemoved;
}

}  // namespace

SearchOutcome greedy_search(SearchContext& ctx) {
  const StrategyChain strategy_chain(ctx.params);
  const bool beam_scores = ctx.params.strategy == StrategyKind::Beam;
  SearchOutcome out;
  int node = ctx.start_node;
  double score = 0.0;     // sum of processed log-probs (greedy)
  double beam_sum = 0.0;  // sum of processed log-softmax values (beam, num_beams 1)
  // The prefix grows by one token per step, in place (reserved for the whole
  // budget): no per-step copy of the prompt and path.
  TokenPrefix prefix = ctx.prefix_of(node);
  prefix.reserve(prefix.size() + static_cast<std::size_t>(std::max(ctx.budget, 0)));
  for (int step = 1; step <= ctx.budget; ++step) {
    if (!ctx.room_for(1 + ctx.params.alternatives)) {  // the token and its alternatives
      out.capped = true;
      break;
    }
    NodeDistribution dist =
        strategy_chain.distribution(ctx.logits_source.logits_for(prefix), prefix,
                                    recorded_distribution_size(ctx.params), ctx.tokenizer);
    const std::int32_t token = dist.processed.best_id();
    if (token < 0) {  // a penalty banned every token: nothing left to choose
      ctx.tree.node(node).reason = NodeReason{.code = ReasonCode::NothingLeft};
      break;
    }
    const int child = grow_child(ctx, node, token, dist);
    record_distribution(ctx, node, dist);
    score += dist.used_logprob(token);
    if (beam_scores) beam_sum += beam_value(dist, strategy_chain.sampler_chain(), prefix, token);
    strategy_chain.recycle(std::move(dist));
    TreeNode& n = ctx.tree.node(child);
    n.status = NodeStatus::Selected;
    n.reason = NodeReason{.code = ReasonCode::Argmax};
    node = child;
    prefix.push_back(token);

    const bool eos = ctx.is_eos(token);
    if (eos || step == ctx.budget) {
      n.status = NodeStatus::Returned;
      n.reason.stop = eos ? StopCause::Eos : StopCause::MaxLength;
      const int length = ctx.tree.node(node).step - ctx.tree.node(ctx.start_node).step;
      const double final_score =
          beam_scores ? beam_sum / std::pow(static_cast<double>(length), ctx.params.length_penalty)
                      : score;
      out.sequences.push_back(sequence_at(ctx, node, final_score));
      ctx.report_step(n.step);
      break;
    }
    if (!ctx.report_step(n.step)) {
      out.cancelled = true;
      break;
    }
  }
  return out;
}

}  // namespace beamscope
