// HF MinPLogitsWarper: p = softmax(scores) (so after temperature in the hf
// order); removes p < min_p * p_max, keeping at least the best `min_keep`.
// min_p = 1 keeps exactly the tokens tied with the maximum.
#include <algorithm>
#include <cmath>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class MinPStage final : public SamplerStage {
 public:
  MinPStage(double min_p, int min_keep) : min_p_(min_p), min_keep_(min_keep) {}
  std::string_view name() const override { return "min_p"; }

  double apply(TokenScores& scores, const StageContext& context) const override {
    const std::vector<std::int32_t> order = scores.alive_sorted_desc();  // best first
    if (order.empty()) return kNoThreshold;
    // p = exp(s - lse), as TokenScores::probabilities() computes it, but only
    // down to the first token under the threshold: p falls along `order`
    // (s - lse and exp are monotone), so every later token is under it too.
    const double lse = input_log_sum_exp(scores, context);
    const double threshold = min_p_ * std::exp(scores[order.front()] - lse);
    for (std::size_t i = static_cast<std::size_t>(std::max(min_keep_, 0)); i < order.size(); ++i) {
      if (std::exp(scores[order[i]] - lse) < threshold) {
        for (std::size_t j = i; j < order.size(); ++j) scores.remove(order[j]);
        break;
      }
    }
    return threshold;
  }

 private:
  double min_p_;
  int min_keep_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_min_p_stage(double min_p, int min_keep) {
  return std::make_unique<MinPStage>(min_p, min_keep);
}

}  // namespace beamscope
