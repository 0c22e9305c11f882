#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "decoding/decode_params.h"
#include "decoding/sampler_stage.h"
#include "decoding/token_tree.h"

namespace beamscope {

// Which stages a strategy runs. As in HF `generate`, greedy and beam search
// only apply the logits processors (penalties); the warpers (temperature,
// top-k, top-p, min-p, typical, epsilon) only act when sampling.
enum class ChainScope { PenaltiesOnly, Sampling };

// Ordered stages; itself a stage (applies them all in order). The penalties
// (repetition, no-repeat-ngram) always come first; then, when sampling:
//   hf:       temperature, top_k, top_p, min_p, typical_p, epsilon
//             (sampler_stage_names(), transformers' warper order)
//   llamacpp: top_k, typical_p, top_p, min_p, epsilon, temperature
//   custom:   params.custom_order (names as in StageCut::stage)
// Stages at their neutral value are left out. core/decoding/README.md
// describes each stage.
class SamplerChain final : public SamplerStage {
 public:
  SamplerChain(const DecodeParams& params, ChainScope scope);

  std::string_view name() const override { return "chain"; }
  double apply(VocabLogits& scores, const StageContext& context) const override;

  // Like apply(), and records per stage the probabilities of the `listed`
  // tokens after it (renormalised over survivors), its threshold and the
  // number of survivors over the whole vocabulary. `last_log_sum_exp`, if
  // given, receives the log-sum-exp of the final scores when there is a stage
  // (it is summed for the last cut anyway; callers renormalise with it).
  std::vector<StageCut> apply_recording(VocabLogits& scores, const StageContext& context,
                                        std::span<const std::int32_t> listed,
                                        double* last_log_sum_exp = nullptr) const;

  std::vector<std::string> stage_names() const;
  bool empty() const { return stages_.empty(); }

 private:
  std::vector<std::unique_ptr<SamplerStage>> stages_;
};

}  // namespace beamscope
