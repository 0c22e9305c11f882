// HF RepetitionPenaltyLogitsProcessor: gathers the scores of the ids in the
// history, penalises each distinct id once (a repeated id is not penalised
// twice), and scatters them back. Applied to whatever scores the strategy
// feeds the chain: raw logits for greedy/sampling, log-softmax for beams.
#include <cmath>
#include <unordered_set>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class RepetitionPenaltyStage final : public SamplerStage {
 public:
  explicit RepetitionPenaltyStage(double penalty) : penalty_(penalty) {}
  std::string_view name() const override { return "repetition_penalty"; }

  double apply(VocabLogits& scores, const StageContext& context) const override {
    std::unordered_set<std::int32_t> seen;
    for (std::int32_t id : context.history) {
      if (id < 0 || id >= scores.size() || !seen.insert(id).second) continue;
      if (!scores.alive(id)) continue;
      const double s = scores[id];
      scores[id] = s < 0 ? s * penalty_ : s / penalty_;
    }
    return kNoThreshold;
  }

 private:
  double penalty_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_repetition_penalty_stage(double penalty) {
  return std::make_unique<RepetitionPenaltyStage>(penalty);
}

}  // namespace beamscope
