#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "remote/remote_server.h"

namespace beamscope::remote {

// Where a tokenizer comes from for a server that does not report its
// vocabulary size (vLLM has /tokenize and /detokenize but no n_vocab), when
// no --tokenizer is given.

// The served model's tokenizer folder in the Hugging Face cache
// (hub_settings.h: $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub):
// vLLM lists the repository id it loaded (`vllm serve ORG/NAME`), and it
// downloaded the repository into that same cache. The snapshot transformers
// would use, if it has tokenizer files; nullopt otherwise (a name that is no
// repository id, a repository not cached).
std::optional<std::filesystem::path> cached_tokenizer_folder(const std::string& model_name);

// The vocabulary size from the server's own check of prompt ids: vLLM
// refuses an id above max(tokenizer's last id, model's vocabulary - 1) with
// HTTP 400 "Token id N is out of vocabulary" and answers one below. Doubling,
// then bisecting, finds the first refused id in about 2 log2(V) one-token
// completions. 0 when the server does not answer that way (any other
// refusal, or no refusal below 2^26): the search is then not sound.
int search_vocab_size(const RemoteOptions& options, const ServerInfo& server);

// The EOS token vLLM names at /tokenizer_info (served only with
// --enable-tokenizer-info-endpoint): its "eos_token", a string or
// {"content": ...}; "" when the server does not say.
std::string tokenizer_info_eos(const RemoteOptions& options, const ServerInfo& server);

}  // namespace beamscope::remote
