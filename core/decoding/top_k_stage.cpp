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
    const double kth = scores.kth_largest(k);
    const double lse = input_log_sum_exp(scores, context);
    const double threshold = kth == kRemoved ? 0.0 : std::exp(kth - lse);
    for (std::int32_t id = 0; id < scores.size(); ++id) {
      if (scores[id] < kth) scores.remove(id);
    }
    return threshold;
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
