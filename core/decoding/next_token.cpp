#include "decoding/next_token.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "decoding/logits_check.h"
#include "decoding/node_distribution.h"
#include "decoding/sampler_chain.h"

namespace beamscope {

std::vector<NextTokenEntry> next_token_table(std::span<const float> logits,
                                             std::span<const std::int32_t> history,
                                             const DecodeParams& params, int top) {
  // A server's top-N answer: log-probs already, -inf for the unlisted tokens,
  // which are not listed here either (core/decoding/README.md "Top-N").
  const auto known = std::count_if(logits.begin(), logits.end(), [](float x) {
    return x != -std::numeric_limits<float>::infinity();
  });
  const bool top_n = known < static_cast<std::ptrdiff_t>(logits.size());
  if (top_n) {
    require_top_n_logprobs(logits, history.size());
    top = std::min(top, static_cast<int>(known));
  } else {
    require_finite_logits(logits, history.size());
  }
  const std::vector<double> raw =
      top_n ? std::vector<double>(logits.begin(), logits.end()) : log_softmax(logits);  // [vocab]
  VocabLogits processed(logits);  // HF sampling: chain on raw logits
  SamplerChain(params, ChainScope::Sampling).apply(processed, StageContext{history});
  const double lse = processed.log_sum_exp();
  std::vector<NextTokenEntry> out;
  for (std::int32_t id : top_raw_ids(raw, top)) {
    const double prob = processed.alive(id) ? std::exp(processed[id] - lse) : 0.0;
    out.push_back({id, raw[static_cast<std::size_t>(id)], prob});
  }
  return out;
}

}  // namespace beamscope
