#pragma once

#include <memory>

#include "decoding/sampler_stage.h"

namespace beamscope {

// Factories for every stage. Semantics follow Hugging Face's logits
// processors/warpers (transformers generation/logits_process.py); each .cpp
// says where it differs. `min_keep` is HF's min_tokens_to_keep (1 when
// sampling).

// Scores of tokens already in the history: s < 0 -> s * penalty, else
// s / penalty (each distinct id once).
std::unique_ptr<SamplerStage> make_repetition_penalty_stage(double penalty);
// Bans every token that would repeat an n-gram already in the history.
std::unique_ptr<SamplerStage> make_no_repeat_ngram_stage(int ngram_size);
// s / T; T == 0 keeps only the best token (greedy), ties to the lower id.
std::unique_ptr<SamplerStage> make_temperature_stage(double temperature);
// Keeps scores >= the k-th largest (ties at the k-th are all kept, as HF).
std::unique_ptr<SamplerStage> make_top_k_stage(int k, int min_keep = 1);
// Removes tokens whose ascending cumulative probability is <= 1 - top_p.
std::unique_ptr<SamplerStage> make_top_p_stage(double top_p, int min_keep = 1);
// Removes tokens with p < min_p * p_max.
std::unique_ptr<SamplerStage> make_min_p_stage(double min_p, int min_keep = 1);
// Locally typical sampling (Meister et al.), HF's TypicalLogitsWarper.
std::unique_ptr<SamplerStage> make_typical_p_stage(double mass, int min_keep = 1);
// Removes tokens with p < epsilon, HF's EpsilonLogitsWarper.
std::unique_ptr<SamplerStage> make_epsilon_stage(double epsilon, int min_keep = 1);

}  // namespace beamscope
