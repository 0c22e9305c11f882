// HF MinPLogitsWarper: p = softmax(scores) (so after temperature in the hf
// order); removes p < min_p * p_max, keeping at least the best `min_keep`.
// min_p = 1 keeps exactly the tokens tied with the maximum.
#include <cmath>
#include <vector>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class MinPStage final : public SamplerStage {
 public:
  MinPStage(double min_p, int min_keep) : min_p_(min_p), min_keep_(min_keep) {}
  std::string_view name() const override { return "min_p"; }

  double apply(VocabLogits& scores, const StageContext& context) const override {
    const double top = scores.max_score();
    if (top == kRemoved) return kNoThreshold;
    // HF keeps the best min_keep tokens whatever their p: noted before the
    // cut, put back after it. With min_p <= 1 the best token passes anyway
    // (p_max < min_p * p_max is false), so min_keep 1 needs no pass for it.
    std::vector<std::int32_t> kept;
    if (min_keep_ > 1 || (min_keep_ == 1 && min_p_ > 1.0)) {
      kept = scores.best_alive(static_cast<std::size_t>(min_keep_));
    }
    std::vector<double> kept_scores;
    for (std::int32_t id : kept) kept_scores.push_back(scores[id]);

    // p = exp(s - lse), as VocabLogits::probabilities() computes it.
    const double lse = input_log_sum_exp(scores, context);
    const double threshold = min_p_ * std::exp(top - lse);
    // p < threshold, decided without an exp where s - top is clearly on one
    // side of log(min_p) (exp and lse round at ~1e-15 relative), and computed
    // exactly in the narrow band between: one pass over the scores, no sort.
    const double log_min_p = std::log(min_p_);
    constexpr double kBand = 1e-6;
    scores.remove_if([&](double v) {
      const double d = v - top;
      return d < log_min_p - kBand || (d <= log_min_p + kBand && std::exp(v - lse) < threshold);
    });
    for (std::size_t i = 0; i < kept.size(); ++i) scores[kept[i]] = kept_scores[i];
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
