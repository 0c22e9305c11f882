#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "decoding/logits_cache.h"
#include "decoding/sampler_chain.h"
#include "decoding/token_tree.h"
#include "decoding/vocab_logits.h"

namespace beamscope {

class Tokenizer;

// What the chain is fed, as in HF: `_sample` (greedy and sampling) runs the
// processors on the raw logits and then softmaxes; `_beam_search` applies
// log_softmax first and adds the processed values to the beam scores as they
// are (no renormalisation after a penalty).
enum class ScoreBase { RawLogits, LogSoftmax };

// One node's next-token distribution, before and after the chain.
struct NodeDistribution {
  // The raw logits [vocab] as cached, and their log-sum-exp (the summary's
  // log_sum_exp): log_softmax is read off them per token (raw_logprob) rather than
  // kept as a second [vocab] copy per node.
  std::shared_ptr<const std::vector<float>> logits;
  LogitsCache::Summary summary;  // of the raw logits: raw order and ranks
  VocabLogits processed;         // [vocab] after the chain; -inf = removed
  double log_normalizer = 0.0;   // processed - this = the log-prob a strategy uses
  NextTokenDistribution next;    // top-N by raw probability + cut of each stage

  // log_softmax(raw logits)[id]: the model's own log-probability of `id`.
  double raw_logprob(std::int32_t id) const { return summary->raw_logprob(*logits, id); }
  // The log-probability the strategy used for `id` (-inf if a stage removed
  // it).
  double used_logprob(std::int32_t id) const;
  // Rank of `id` by raw log-prob among the whole vocabulary (0 = best; ties
  // go to the lower id).
  int raw_rank(std::int32_t id) const;
};

// `storage`: an array for the processed scores to reuse (see
// VocabLogits::take_storage), or empty.
NodeDistribution make_node_distribution(const PrefixLogits& logits,
                                        std::span<const std::int32_t> history,
                                        const SamplerChain& chain, ScoreBase base, int listed_count,
                                        const Tokenizer& tokenizer,
                                        std::vector<double>&& storage = {});
// The same for logits nobody cached (summarised on the spot).
NodeDistribution make_node_distribution(std::span<const float> logits,
                                        std::span<const std::int32_t> history,
                                        const SamplerChain& chain, ScoreBase base, int listed_count,
                                        const Tokenizer& tokenizer);

// Token ids sorted by raw log-prob (best first, ties to the lower id), top n.
std::vector<std::int32_t> top_raw_ids(std::span<const double> raw_logprobs, int n);

// The raw bytes a token stands for; ids the tokenizer does not know (a model
// whose vocabulary is padded past the tokenizer's) show as "<id N>".
std::string token_text(const Tokenizer& tokenizer, std::int32_t id);

}  // namespace beamscope
