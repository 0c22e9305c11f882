// A server's completion answer on arbitrary bytes, read as both protocols
// and as each way of giving prompt log-probs (echo, vLLM's prompt_logprobs):
// every failure must be a clean beamscope::Error or "not given", never a
// crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "remote/completion_protocol.h"
#include "remote/prompt_logprobs.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  const std::string body(reinterpret_cast<const char*>(data), size);
  for (remote::ServerKind kind :
       {remote::ServerKind::OpenAiCompletions, remote::ServerKind::LlamaCppNative}) {
    try {
      remote::parse_completion(kind, body, "http://fuzz");
    } catch (const Error&) {
    }
  }
  // The prompt the answer is read against: the ids of the seeds.
  const std::vector<std::int32_t> ids = {4095, 100, 200};
  for (remote::PromptWay way : {remote::PromptWay::EchoOnly, remote::PromptWay::EchoAndOne,
                                remote::PromptWay::PromptLogprobs}) {
    try {
      remote::parse_prompt_logprobs(way, body, ids, "http://fuzz");
    } catch (const Error&) {
    }
  }
  return 0;
}
