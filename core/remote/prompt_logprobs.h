#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace beamscope::remote {

// The ways an OpenAI-compatible server gives the log-prob of every token of a
// prompt (what scoring a text needs), in the order they are tried:
//   EchoOnly      /v1/completions, echo true, max_tokens 0, logprobs 1: the
//                 prompt alone comes back, logprobs.token_logprobs[i] is
//                 log p(ids[i] | ids[0..i)), the first null (OpenAI's legacy
//                 completions; vLLM). The prompt may fill the whole context.
//   EchoAndOne    the same with max_tokens 1 (servers that refuse 0): one
//                 generated entry follows; the prompt leaves room for it.
//   PromptLogprobs vLLM's own "prompt_logprobs": 1 beside max_tokens 1:
//                 choices[0].prompt_logprobs[i] = {"ID": {"logprob", "rank",
//                 "decoded_token"}, ...}, the first null.
// A server with none of them (llama.cpp's server ignores echo) is scored from
// its top N per prefix (remote_score.h).
enum class PromptWay { EchoOnly, EchoAndOne, PromptLogprobs };
const char* to_string(PromptWay way);

// The body that asks for `ids`' log-probs (model name left out when empty).
nlohmann::json prompt_logprobs_request(PromptWay way, const std::string& model,
                                       const std::vector<std::int32_t>& ids);

// The answer read: entry i (i >= 1) is log p(ids[i] | ids[0..i)). A server
// clamps -inf to a number (vLLM: -9999), so a value at or below kClamped
// comes back as nullopt: that token's log-prob is not known. Returns nullopt
// as a whole when the answer does not hold the prompt's log-probs in this way
// (a server that ignored the option: fewer entries, other tokens); throws
// one sentence naming `url` for a body that is not JSON.
constexpr double kClamped = -9999.0;
using PromptLogprobs = std::vector<std::optional<double>>;
std::optional<PromptLogprobs> parse_prompt_logprobs(PromptWay way, const std::string& body,
                                                    const std::vector<std::int32_t>& ids,
                                                    const std::string& url);

}  // namespace beamscope::remote
