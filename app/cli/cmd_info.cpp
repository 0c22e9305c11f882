// beamscope-cli info: what a model is, from the same ModelInfo the GUI shows
// and a saved tree records.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/model_option.h"
#include "model/model_folder.h"
#include "remote/remote_model.h"

namespace beamscope::cli {
namespace {

int run_info(const std::vector<std::string>& argv) {
  const Args args(argv, kModelOptions);
  const LoadedModel loaded = load_model_option(args);
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
  if (info.top_logprobs > 0) out["top_logprobs"] = info.top_logprobs;  // a server
  if (const auto* remote = dynamic_cast<const remote::RemoteModel*>(loaded.model.get()))
    out["tokenizer"] = remote->tokenizer_source();
  std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"info", "what a model is: architecture, size, dtype, special ids, files read",
     "[--model DIR|FILE.bin|URL] [--tokenizer FILE]\n"
     "  Loads the model (weights and tokenizer, checked as for any other command) and\n"
     "  prints {\"architecture\", \"path\", \"files\", \"dtype\", \"parameter_count\",\n"
     "  \"vocab_size\", \"context_length\", \"bos_id\", \"eos_ids\", \"weight_bytes\"}.\n"
     "  --tokenizer names a llama2.c tokenizer.bin when it is not beside the checkpoint.\n"
     "  A server address (options as for decode) adds \"top_logprobs\" (N) and\n"
     "  \"tokenizer\" (where the tokenizer paired with it came from).",
     run_info});

}  // namespace
}  // namespace beamscope::cli
