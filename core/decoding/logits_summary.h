#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace beamscope {

// What every scoring of one prefix's raw logits needs, whatever the decoding
// parameters: computed once per cached prefix (LogitsCache keeps it with the
// logits), so a parameter change on a cached tree re-runs neither the exp
// pass of log-softmax nor a sort of the vocabulary per node.
struct LogitsSummary {
  // log_softmax(x)_i = x_i - log_sum_exp, with log_sum_exp = max + log(sum(exp(x - max)))
  // summed in id order: bit-identical to log_softmax(), and equal to the
  // log-sum-exp of the unprocessed logits (sampling with an empty chain).
  double log_sum_exp = 0.0;
  // Ids by raw log-prob, best first, ties to the lower id: the listed top-N,
  // raw ranks, and an order hint that stays valid under temperature. Only the
  // head of the vocabulary is ordered (at least kOrderedIds ids, see
  // logit_order.h) unless `order_complete`; every id not in `order` comes after
  // all of it in the whole order.
  std::vector<std::int32_t> order;
  bool order_complete = true;
  // Whether `order` also sorts the logits themselves (best first, ties to the
  // lower id): false only when subtracting the log-sum-exp rounded distinct logits
  // to one log-prob. Then the unprocessed logits need no check against it.
  bool sorts_logits = true;
  // A top-N distribution (a server that returns only its N best log-probs):
  // the finite entries are already log-probabilities, the others -inf
  // (unknown, not removed). Then log_sum_exp is 0, `known` is N and
  // `unknown_mass` the probability of all other tokens together. Dense
  // logits have known == 0 and unknown_mass == 0.
  int known = 0;
  double unknown_mass = 0.0;
  bool top_n() const { return known > 0; }

  double raw_logprob(std::span<const float> logits, std::int32_t id) const {
    return static_cast<double>(logits[static_cast<std::size_t>(id)]) - log_sum_exp;
  }
  // log_softmax of all of `logits` [vocab], without its exp pass.
  std::vector<double> log_softmax(std::span<const float> logits) const;
  // The raw rank of `id` (0 = best): its position in `order`, O(rank), as the
  // ids a tree asks about (taken, listed, beam candidates) rank near the top;
  // one pass over the vocabulary for an id beyond the ordered head.
  int rank_of(std::span<const float> logits, std::int32_t id) const;
  // The best `n` ids (fewer if the vocabulary is smaller): the head of `order`,
  // or ordered afresh when more are asked for than it holds.
  std::vector<std::int32_t> best_ids(std::span<const float> logits, std::size_t n) const;
};

// How many of the best ids a summary orders at least: beyond any alternatives
// or beam candidates a tree lists, and beyond where top-p 0.9 cuts even flat
// (temperature 0.7 over normal logits of σ 3: ≈ 820 of 262,144).
inline constexpr std::size_t kOrderedIds = 2048;

// `ordered_at_least`: how much of the order to build (all of it with SIZE_MAX).
LogitsSummary summarize_logits(std::span<const float> logits,
                               std::size_t ordered_at_least = kOrderedIds);

}  // namespace beamscope
