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
  // [vocab] ids by raw log-prob, best first, ties to the lower id: the listed
  // top-N, raw ranks, and an order hint that stays valid under temperature.
  std::vector<std::int32_t> order;
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
  // Position of `id` in `order` (its raw rank); O(rank), and the ids a tree
  // asks about (taken, listed, beam candidates) rank near the top.
  int rank_of(std::int32_t id) const;
};

LogitsSummary summarize_logits(std::span<const float> logits);

}  // namespace beamscope
