#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "remote/remote_server.h"

namespace beamscope::remote {

// One step's answer: (token id, log-prob) of each listed token.
using TopLogprobs = std::vector<std::pair<std::int32_t, double>>;

// The request for one step after `prefix` (token ids, sent as they are: no
// BOS added), greedy, one token, `top_n` log-probs of the raw distribution.
std::string completion_path(ServerKind kind);
nlohmann::json completion_request(ServerKind kind, const std::string& model,
                                  const std::vector<std::int32_t>& prefix, int top_n);

// Reads the top log-probs out of an answer's body. vLLM lists them by
// "token_id:N" keys (return_tokens_as_token_ids), llama.cpp by {"id",
// "logprob"} entries (native, or "content" in its OpenAI answers). Throws
// one sentence naming `url` for anything else.
TopLogprobs parse_completion(ServerKind kind, const std::string& body, const std::string& url);

}  // namespace beamscope::remote
