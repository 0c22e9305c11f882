// HF TemperatureLogitsWarper divides the scores by T. HF rejects T == 0; we
// define it as greedy (as llama.cpp does for T <= 0): only the best token
// survives, ties going to the lower id like torch.argmax.
#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class TemperatureStage final : public SamplerStage {
 public:
  explicit TemperatureStage(double temperature) : t_(temperature) {}
  std::string_view name() const override { return "temperature"; }

  double apply(VocabLogits& scores, const StageContext&) const override {
    if (t_ <= 0.0) {
      const std::int32_t best = scores.best_id();
      for (std::int32_t id = 0; id < scores.size(); ++id) {
        if (id != best) scores.remove(id);
      }
      return kNoThreshold;
    }
    // -inf / T is -inf, so removed tokens stay removed without a branch, and
    // the loop vectorises.
    for (double& s : scores.mutable_values()) s /= t_;
    return kNoThreshold;
  }

 private:
  double t_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_temperature_stage(double temperature) {
  return std::make_unique<TemperatureStage>(temperature);
}

}  // namespace beamscope
