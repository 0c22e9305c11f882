#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string_view>

#include "decoding/vocab_logits.h"

namespace beamscope {

// What a stage may look at besides the scores: every token id of the sequence
// so far (prompt + generated), as Hugging Face's processors see `input_ids`.
struct StageContext {
  std::span<const std::int32_t> history;
  // log_sum_exp() of the scores the stage receives, when already known (the
  // chain sums it after every stage for the recording; raw logits have it in
  // their LogitsSummary); NaN when not. Saves stages a full exp pass.
  double log_sum_exp = std::numeric_limits<double>::quiet_NaN();
};

// The log-sum-exp of `scores`, taken from `context` when it has it.
inline double input_log_sum_exp(const VocabLogits& scores, const StageContext& context) {
  return std::isnan(context.log_sum_exp) ? scores.log_sum_exp() : context.log_sum_exp;
}

// One sampler stage (cf. llama.cpp's llama_sampler_i): it only edits the
// scores, masking removed tokens with -inf. A chain of stages is itself a
// stage. Stages hold no mutable state, so one chain serves every node.
class SamplerStage {
 public:
  virtual ~SamplerStage() = default;
  // Stable name, used in StageCut::stage and custom orders ("top_p", ...).
  virtual std::string_view name() const = 0;
  // Applies the stage in place. Returns the stage's cut in probability terms
  // of the distribution it received (min-p: min_p * p_max; top-p/typical: the
  // kept mass; top-k: probability of the k-th token; epsilon: epsilon), or NaN
  // where the stage has no such threshold.
  virtual double apply(VocabLogits& scores, const StageContext& context) const = 0;
};

inline constexpr double kNoThreshold = std::numeric_limits<double>::quiet_NaN();

}  // namespace beamscope
