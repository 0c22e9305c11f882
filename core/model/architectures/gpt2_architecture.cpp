// GPT-2 folders keep their own reader (gpt2_config, gpt2_weights): its
// checks and messages predate the shared loader and tests hold them.
#include "model/architectures/architecture.h"
#include "model/gpt2_model.h"
#include "model/weight_files.h"

namespace beamscope {

TransformerConfig read_gpt2_architecture_config(const nlohmann::json& config,
                                                const std::string& file, const char*) {
  // As the weights decide whether the head is tied, the config alone says
  // "tied"; load_gpt2_model reads the weights itself.
  return gpt2_transformer_config(parse_gpt2_config(config, file), true);
}

ArchitectureOutput load_gpt2_architecture(const ArchitectureInput& input, TransformerConfig) {
  ArchitectureOutput out;
  out.model = load_gpt2_model(input.dir, input.progress);
  const WeightFiles files(std::make_unique<SafetensorsFile>(input.dir / "model.safetensors"));
  out.weight_files = files.paths();
  out.dtype = files.dtype();
  return out;
}

}  // namespace beamscope
