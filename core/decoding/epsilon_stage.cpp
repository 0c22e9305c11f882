// HF EpsilonLogitsWarper (truncation sampling, Hewitt et al.): removes tokens
// with p < epsilon unless their score reaches the min_keep-th largest.
#include <algorithm>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class EpsilonStage final : public SamplerStage {
 public:
  EpsilonStage(double epsilon, int min_keep) : epsilon_(epsilon), min_keep_(min_keep) {}
  std::string_view name() const override { return "epsilon"; }

  double apply(VocabLogits& scores, const StageContext&) const override {
    const std::vector<double> probs = scores.probabilities();  // [vocab]
    const double keep_floor = scores.kth_largest(std::min(std::max(min_keep_, 1), scores.size()));
    for (std::int32_t id = 0; id < scores.size(); ++id) {
      if (probs[static_cast<std::size_t>(id)] < epsilon_ && scores[id] < keep_floor) {
        scores.remove(id);
      }
    }
    return epsilon_;
  }

 private:
  double epsilon_;
  int min_keep_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_epsilon_stage(double epsilon, int min_keep) {
  return std::make_unique<EpsilonStage>(epsilon, min_keep);
}

}  // namespace beamscope
