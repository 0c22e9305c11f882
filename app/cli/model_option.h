#pragma once

#include <set>
#include <string>

#include "cli/args.h"
#include "model/model_folder.h"

namespace beamscope::cli {

// The options that say which model to open: --model (a folder, a .gguf, a
// llama2.c .bin, or a server address http://host:port[/v1]), --tokenizer,
// and for a server --server-model NAME, --api-key-env NAME (default
// OPENAI_API_KEY; the key itself is never an option, so it stays out of
// shell history and logs) and --top-n N.
inline const std::set<std::string> kModelOptions = {"model", "tokenizer", "server-model",
                                                    "api-key-env", "top-n"};

// Opens what --model names (the bundled model when absent).
LoadedModel load_model_option(const Args& args);

}  // namespace beamscope::cli
