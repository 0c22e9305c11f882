#include "hub/teaching_models.h"

namespace beamscope::hub {

const std::vector<TeachingModel>& teaching_models() {
  // Sizes: model.safetensors plus the tokenizer and config files, from the
  // repositories' file listings (float32 for GPT-2 and DistilGPT-2, bfloat16
  // or float16 for the rest).
  static const std::vector<TeachingModel> models = {
      {"openai-community/gpt2", "GPT-2 small, 124M parameters: the classic", 553'000'000, false},
      {"distilbert/distilgpt2", "DistilGPT-2, 82M parameters: GPT-2 distilled", 358'000'000, false},
      {"HuggingFaceTB/SmolLM2-135M", "SmolLM2 135M: a modern Llama-style model", 273'000'000,
       false},
      {"HuggingFaceTB/SmolLM2-360M", "SmolLM2 360M: the same family, larger", 728'000'000, false},
      {"Qwen/Qwen2.5-0.5B", "Qwen2.5 0.5B: multilingual, 151k-token vocabulary", 1'000'000'000,
       false},
      {"EleutherAI/pythia-160m", "Pythia 160M: GPT-NeoX, trained on the Pile", 330'000'000, false},
      {"google/gemma-3-270m", "Gemma 3 270M: 262k-token vocabulary (gated)", 540'000'000, true},
      {"meta-llama/Llama-3.2-1B", "Llama 3.2 1B (gated)", 2'480'000'000, true},
  };
  return models;
}

}  // namespace beamscope::hub
