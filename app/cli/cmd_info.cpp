// beamscope-cli info: what a model is, from the same ModelInfo the GUI shows
// and a saved tree records.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "model/model_folder.h"

namespace beamscope::cli {
namespace {

int run_info(const std::vector<std::string>& argv) {
  const Args args(argv, {"model", "tokenizer"});
  const LoadedModel loaded = load_model(args.get_or("model", bundled_model_dir().string()), {},
                                        args.get_or("tokenizer", ""));
  const ModelInfo& info = loaded.info;
  nlohmann::ordered_json out;
  out["architecture"] = info.architecture;
  out["path"] = info.path;
  out["files"] = info.files;
  out["dtype"] = info.dtype;
  out["parameter_count"] = info.parameter_count;
  out["vocab_size"] = info.vocab_size;
  out["context_length"] = info.context_length;
  out["bos_id"] = info.bos_id ? nlohmann::ordered_json(*info.bos_id) : nlohmann::ordered_json();
  out["eos_ids"] = info.eos_ids;
  out["weight_bytes"] = info.weight_bytes;
  std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"info", "what a model is: architecture, size, dtype, special ids, files read",
     "[--model DIR|FILE.bin] [--tokenizer FILE]\n"
     "  Loads the model (weights and tokenizer, checked as for any other command) and\n"
     "  prints {\"architecture\", \"path\", \"files\", \"dtype\", \"parameter_count\",\n"
     "  \"vocab_size\", \"context_length\", \"bos_id\", \"eos_ids\", \"weight_bytes\"}.\n"
     "  --tokenizer names a llama2.c tokenizer.bin when it is not beside the checkpoint.",
     run_info});

}  // namespace
}  // namespace beamscope::cli
