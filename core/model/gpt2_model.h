#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "model/gpt2_config.h"
#include "model/gpt2_weights.h"
#include "model/transformer_model.h"
#include "util/progress.h"

namespace beamscope {

// GPT-2 on the shared transformer forward pass: LayerNorm with biases,
// learned positions, Conv1D weights ([in, out]), a plain GELU MLP and the
// head tied to wte unless lm_head is given. Built from GPT-2's own config
// and weight structs, which tests and benchmarks construct directly.
class Gpt2Model final : public TransformerModel {
 public:
  Gpt2Model(const Gpt2Config& config, Gpt2Weights weights, std::string path = {});
  // With the matrices load_gpt2_weights left in the file (packed from there).
  Gpt2Model(const Gpt2Config& config, Gpt2Weights weights, const Gpt2FileMatrices& in_file,
            std::string path);

  const Gpt2Config& config() const { return config_; }

  // GPT-2's config and weights in the transformer's terms.
  struct Parts {
    TransformerConfig config;
    TransformerWeights weights;
  };

 private:
  Gpt2Model(Parts parts, const Gpt2Config& config, std::string path);
  Gpt2Config config_;
};

// GPT-2's TransformerConfig (tests compare it with what an architecture
// reader derives).
TransformerConfig gpt2_transformer_config(const Gpt2Config& config, bool tied_head);
Gpt2Model::Parts gpt2_parts(const Gpt2Config& config, Gpt2Weights weights, const std::string& path,
                            const Gpt2FileMatrices* in_file = nullptr);

// Loads config.json + model.safetensors from a Hugging Face GPT-2 folder (no
// tokenizer). Errors are beamscope::Error naming the file and the problem.
std::unique_ptr<Gpt2Model> load_gpt2_model(const std::filesystem::path& dir,
                                           const ProgressFn& progress = {});

}  // namespace beamscope
