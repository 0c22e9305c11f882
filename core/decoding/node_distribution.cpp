#include "decoding/node_distribution.h"

#include <algorithm>
#include <numeric>

#include "tokenizer/tokenizer.h"

namespace beamscope {

double NodeDistribution::score_logprob(std::int32_t id) const {
  if (!processed.alive(id)) return kRemoved;
  return processed[id] - log_normalizer;
}

int NodeDistribution::raw_rank(std::int32_t id) const {
  const double mine = raw_logprobs[static_cast<std::size_t>(id)];
  int rank = 0;
  for (std::size_t i = 0; i < raw_logprobs.size(); ++i) {
    const double other = raw_logprobs[i];
    if (other > mine || (other == mine && static_cast<std::int32_t>(i) < id)) ++rank;
  }
  return rank;
}

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

NodeDistribution score_node(std::span<const float> logits, std::span<const std::int32_t> history,
                            const SamplerChain& chain, ScoreBase base, int listed_count,
                            const Tokenizer& tokenizer) {
  NodeDistribution d;
  d.raw_logprobs = log_softmax(logits);  // [vocab]
  d.processed = base == ScoreBase::LogSoftmax ? TokenScores(d.raw_logprobs) : TokenScores(logits);

  NextTokenDistribution& listing = d.listing;
  listing.token_ids = top_raw_ids(d.raw_logprobs, listed_count);
  for (std::int32_t id : listing.token_ids) {
    listing.texts.push_back(token_text(tokenizer, id));
    listing.logprobs.push_back(static_cast<float>(d.raw_logprobs[static_cast<std::size_t>(id)]));
  }
  listing.stages = chain.apply_recording(d.processed, StageContext{history}, listing.token_ids);

  // Sampling and greedy renormalise over the survivors (softmax of the
  // processed scores); beam search adds processed log-softmax values as is.
  d.log_normalizer = base == ScoreBase::RawLogits ? d.processed.log_sum_exp() : 0.0;
  return d;
}

}  // namespace beamscope
