#include "decoding/sampler_chain.h"

#include <cmath>

#include "decoding/decode_param_spec.h"
#include "decoding/sampler_stages.h"
#include "util/error.h"

namespace beamscope {

namespace {

// The stage called `name` (one of sampler_stage_names()) if params make it
// active, else nullptr.
std::unique_ptr<SamplerStage> make_stage(std::string_view name, const DecodeParams& p) {
  constexpr int kMinKeep = 1;  // HF's min_tokens_to_keep when sampling one sequence
  if (name == "temperature")
    return p.temperature != 1.0 ? make_temperature_stage(p.temperature) : nullptr;
  if (name == "top_k") return p.top_k != 0 ? make_top_k_stage(p.top_k, kMinKeep) : nullptr;
  if (name == "top_p") return p.top_p < 1.0 ? make_top_p_stage(p.top_p, kMinKeep) : nullptr;
  if (name == "min_p") return p.min_p > 0.0 ? make_min_p_stage(p.min_p, kMinKeep) : nullptr;
  if (name == "typical_p")
    return p.typical_p < 1.0 ? make_typical_p_stage(p.typical_p, kMinKeep) : nullptr;
  if (name == "epsilon") {
    return p.epsilon_cutoff > 0.0 && p.epsilon_cutoff < 1.0
               ? make_epsilon_stage(p.epsilon_cutoff, kMinKeep)
               : nullptr;
  }
  throw Error("Unknown sampler stage '" + std::string(name) + "'; use " +
              names_in_words(sampler_stage_names()) + ".");
}

std::vector<std::string_view> order_of(const DecodeParams& p) {
  switch (p.order) {
    case ChainOrder::Hf:
      return {sampler_stage_names().begin(), sampler_stage_names().end()};
    case ChainOrder::LlamaCpp:
      // llama.cpp common defaults: top_k, typ_p, top_p, min_p, ..., temperature.
      // Epsilon has no llama.cpp stage; it sits with the other truncations.
      return {"top_k", "typical_p", "top_p", "min_p", "epsilon", "temperature"};
    case ChainOrder::Custom:
      return {p.custom_order.begin(), p.custom_order.end()};
  }
  return {};
}

}  // namespace

SamplerChain::SamplerChain(const DecodeParams& params, ChainScope scope) {
  if (params.repetition_penalty != 1.0) {
    stages_.push_back(make_repetition_penalty_stage(params.repetition_penalty));
  }
  if (params.no_repeat_ngram_size > 0) {
    stages_.push_back(make_no_repeat_ngram_stage(params.no_repeat_ngram_size));
  }
  if (scope != ChainScope::Sampling) return;
  for (std::string_view name : order_of(params)) {
    if (auto stage = make_stage(name, params)) stages_.push_back(std::move(stage));
  }
}

double SamplerChain::apply(VocabLogits& scores, const StageContext& context) const {
  for (const auto& stage : stages_) stage->apply(scores, context);
  return kNoThreshold;
}

std::vector<StageCut> SamplerChain::apply_recording(VocabLogits& scores,
                                                    const StageContext& context,
                                                    std::span<const std::int32_t> listed,
                                                    double* last_log_sum_exp) const {
  std::vector<StageCut> cuts;
  cuts.reserve(stages_.size());
  StageContext passed = context;  // carries each stage's output log-sum-exp to the next
  for (const auto& stage : stages_) {
    StageCut cut;
    cut.stage = std::string(stage->name());
    cut.threshold = stage->apply(scores, passed);
    const double lse = scores.log_sum_exp();
    cut.probs.reserve(listed.size());
    for (std::int32_t id : listed) {
      const bool kept = scores.alive(id) && lse != kRemoved;
      cut.probs.push_back(kept ? static_cast<float>(std::exp(scores[id] - lse)) : 0.0f);
    }
    cut.kept_total = scores.alive_count();
    cuts.push_back(std::move(cut));
    if (last_log_sum_exp) *last_log_sum_exp = lse;
    passed.log_sum_exp = lse;
  }
  return cuts;
}

std::vector<std::string> SamplerChain::stage_names() const {
  std::vector<std::string> names;
  for (const auto& stage : stages_) names.emplace_back(stage->name());
  return names;
}

}  // namespace beamscope
