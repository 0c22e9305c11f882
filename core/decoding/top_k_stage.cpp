// HF TopKLogitsWarper: k' = min(max(k, min_keep), vocab); removes every score
// strictly below the k'-th largest, so tokens tied with the k'-th all stay.
#include <algorithm>
#include <cmath>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class TopKStage final : public SamplerStage {
 public:
  TopKStage(int k, int min_keep) : k_(k), min_keep_(min_keep) {}
  std::string_view name() const override { return "top_k"; }

  double apply(VocabLogits& scores, const StageContext& context) const override {
    const int k = std::min(std::max(k_, min_keep_), scores.size());
    if (k <= 0) return kNoThreshold;
    // The k-th largest of all scores (removed ones count, as -inf): the k-th
    // survivor, from the order hint's walk where it holds; with fewer than k
    // survivors it is -inf and nothing goes.
    const std::vector<std::int32_t> best = scores.best_alive(static_cast<std::size_t>(k));
    if (best.size() < static_cast<std::size_t>(k)) return 0.0;
    const double kth = scores[best.back()];
    const double lse = input_log_sum_exp(scores, context);
    scores.remove_below(kth);
    return std::exp(kth - lse);
  }

 private:
  int k_;
  int min_keep_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_top_k_stage(int k, int min_keep) {
  return std::make_unique<TopKStage>(k, min_keep);
}

}  // namespace beamscope
