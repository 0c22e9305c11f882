#include <nlohmann/json.hpp>

#include "model/gpt2_model.h"
#include "model/safetensors.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

std::unique_ptr<Gpt2Model> load_gpt2_model(const std::filesystem::path& dir,
                                           const ProgressFn& progress) {
  const auto config_path = dir / "config.json";
  const auto weights_path = dir / "model.safetensors";
  if (!std::filesystem::is_regular_file(config_path)) {
    throw Error(dir.string() + " is not a model folder: config.json is missing.");
  }
  if (!std::filesystem::is_regular_file(weights_path)) {
    throw Error(dir.string() +
                " has no model.safetensors (only safetensors weights are supported).");
  }
  const nlohmann::json json = read_json_file(config_path);
  const Gpt2Config config = parse_gpt2_config(json, config_path.string());
  const SafetensorsFile file(weights_path);
  Gpt2FileMatrices matrices;
  Gpt2Weights weights = load_gpt2_weights(file, config, progress, &matrices);
  return std::make_unique<Gpt2Model>(config, std::move(weights), matrices, dir.string());
}

}  // namespace beamscope
