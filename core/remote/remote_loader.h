#pragma once

#include <filesystem>

#include "model/model_folder.h"
#include "remote/remote_model.h"

namespace beamscope::remote {

// True for a --model that names a server rather than a file.
bool is_server_address(const std::string& model);

// Connects to the server (probe_server) and pairs it with the local
// tokenizer in `tokenizer_dir` (the served model's folder or one with its
// tokenizer files), whose config.json / generation_config.json give the EOS
// ids; with no folder, the server's own /tokenize (ServerTokenizer) and the
// EOS token its /props names. A server that does not report its vocabulary
// size (vLLM) gets the served repository's tokenizer from the Hugging Face
// cache, else the size its out-of-vocabulary refusals show
// (server_vocabulary.h), else one sentence saying what to pass. The
// LoadedModel's model is a RemoteModel; its tokenizer_source() says which.
LoadedModel open_remote_model(const RemoteOptions& options,
                              const std::filesystem::path& tokenizer_dir);

}  // namespace beamscope::remote
