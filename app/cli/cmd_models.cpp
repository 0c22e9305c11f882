// beamscope-cli models: the models already on this machine (the Hugging Face
// cache, Ollama, LM Studio, llama.cpp's cache, and a folder given), read from
// their headers only.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "discovery/find_models.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

int run_models(const std::vector<std::string>& argv) {
  const Args args(argv, {"folder"});
  std::vector<SearchRoot> roots = default_search_roots();
  if (auto folder = args.get("folder")) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*folder, ec)) {
      throw Error("--folder " + *folder + " is not a folder.");
    }
    roots.push_back({"folder", *folder});
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const FoundModel& model : find_models(roots)) {
    nlohmann::ordered_json entry;
    entry["name"] = model.name;
    entry["source"] = model.source;
    entry["path"] = model.path.string();
    entry["architecture"] = model.architecture;
    entry["parameter_count"] =
        model.parameter_count ? nlohmann::ordered_json(*model.parameter_count) : nullptr;
    entry["dtype"] = model.dtype;
    entry["size_bytes"] = model.size_bytes;
    entry["can_open"] = model.can_open;
    entry["reason"] = model.reason;
    out.push_back(std::move(entry));
  }
  std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"models", "the models already on this machine, from their headers",
     "[--folder DIR]\n"
     "  Lists the models in the Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub or\n"
     "  ~/.cache/huggingface/hub), Ollama ($OLLAMA_MODELS or ~/.ollama/models), LM Studio\n"
     "  (~/.lmstudio/models, ~/.cache/lm-studio/models), llama.cpp's cache ($LLAMA_CACHE or\n"
     "  ~/.cache/llama.cpp) and DIR: a JSON array of {\"name\", \"source\", \"path\" (what\n"
     "  --model takes), \"architecture\", \"parameter_count\", \"dtype\", \"size_bytes\",\n"
     "  \"can_open\", \"reason\" (why not, when it cannot be opened)}. Only headers are read.",
     run_models});

}  // namespace
}  // namespace beamscope::cli
