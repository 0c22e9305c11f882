#include "decoding/node_distribution.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "tokenizer/tokenizer.h"

namespace beamscope {

double NodeDistribution::used_logprob(std::int32_t id) const {
  if (!processed.alive(id)) return kRemoved;
  return processed[id] - log_normalizer;
}

int NodeDistribution::raw_rank(std::int32_t id) const { return summary->rank_of(*logits, id); }

std::vector<std::int32_t> top_raw_ids(std::span<const double> raw_logprobs, int n) {
  std::vector<std::int32_t> ids(raw_logprobs.size());
  std::iota(ids.begin(), ids.end(), 0);
  const std::size_t count = std::min(ids.size(), static_cast<std::size_t>(std::max(n, 0)));
  std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(count), ids.end(),
                    [&](std::int32_t a, std::int32_t b) {
                      const double la = raw_logprobs[static_cast<std::size_t>(a)];
                      const double lb = raw_logprobs[static_cast<std::size_t>(b)];
                      return la > lb || (la == lb && a < b);
                    });
  ids.resize(count);
  return ids;
}

std::string token_text(const Tokenizer& tokenizer, std::int32_t id) {
  if (id < 0 || id >= tokenizer.vocab_size()) return "<id " + std::to_string(id) + ">";
  return tokenizer.token_bytes(id);
}

NodeDistribution make_node_distribution(const PrefixLogits& prefix_logits,
                                        std::span<const std::int32_t> history,
                                        const SamplerChain& chain, ScoreBase base, int listed_count,
                                        const Tokenizer& tokenizer, std::vector<double>&& storage) {
  const std::span<const float> logits(*prefix_logits.logits);  // [vocab]
  const LogitsSummary& summary = *prefix_logits.summary;
  NodeDistribution d;
  d.logits = prefix_logits.logits;
  d.summary = prefix_logits.summary;
  d.processed = VocabLogits(logits, std::move(storage));
  if (base == ScoreBase::LogSoftmax) {
    // The same subtraction as LogitsSummary::log_softmax, in place.
    for (double& x : d.processed.mutable_values()) x -= summary.log_sum_exp;
  }
  // Raw order = processed order until a stage reorders (only penalties do).
  const std::shared_ptr<const std::vector<std::int32_t>> order(prefix_logits.summary,
                                                               &summary.order);
  d.processed.set_order_hint(order);

  NextTokenDistribution& next = d.next;
  // A top-N source lists only what it knows: its unknown tokens are not
  // alternatives with probability 0.
  const std::size_t listable =
      summary.top_n() ? static_cast<std::size_t>(summary.known) : logits.size();
  const std::size_t listed =
      std::min(listable, static_cast<std::size_t>(std::max(listed_count, 0)));
  next.known = summary.known;
  next.unknown_mass = summary.unknown_mass;
  next.token_ids = summary.best_ids(logits, listed);
  next.texts.reserve(next.token_ids.size());
  next.logprobs.reserve(next.token_ids.size());
  for (std::int32_t id : next.token_ids) {
    next.texts.push_back(token_text(tokenizer, id));
    next.logprobs.push_back(static_cast<float>(d.raw_logprob(id)));
  }
  double last_log_sum_exp = kRemoved;
  // Raw logits come in with their log-sum-exp known: the summary's.
  // (A top-N source's summary holds the log-sum-exp of the whole vocabulary,
  // 0, not that of the known tokens the stages see.)
  const double input_lse = base == ScoreBase::RawLogits && !summary.top_n()
                               ? summary.log_sum_exp
                               : std::numeric_limits<double>::quiet_NaN();
  next.stages = chain.apply_recording(d.processed, StageContext{history, input_lse}, next.token_ids,
                                      &last_log_sum_exp);

  // Sampling and greedy renormalise over the survivors (softmax of the
  // processed scores); beam search adds processed log-softmax values as is.
  // The chain already summed the last stage's output, and with no stage the
  // scores are the raw logits, whose log-sum-exp is the summary's (the
  // same sum in the same order, so the same bits).
  if (base == ScoreBase::RawLogits) {
    d.log_normalizer = chain.empty() ? summary.log_sum_exp : last_log_sum_exp;
  }
  // Scores untouched by any stage are the numbers the order sorts (log-softmax
  // values always, raw logits unless rounding merged two): beam candidates
  // and sampling draws then take it as it is.
  if (chain.empty() && (base == ScoreBase::LogSoftmax || summary.sorts_logits)) {
    d.processed.set_order_hint(order, true);
  }
  return d;
}

NodeDistribution make_node_distribution(std::span<const float> logits,
                                        std::span<const std::int32_t> history,
                                        const SamplerChain& chain, ScoreBase base, int listed_count,
                                        const Tokenizer& tokenizer) {
  auto copy = std::make_shared<const std::vector<float>>(logits.begin(), logits.end());
  auto summary = std::make_shared<const LogitsSummary>(summarize_logits(logits));
  return make_node_distribution(PrefixLogits{std::move(copy), std::move(summary)}, history, chain,
                                base, listed_count, tokenizer);
}

}  // namespace beamscope
