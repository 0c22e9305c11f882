// A server's completion answer on arbitrary bytes, read as both protocols:
// every failure must be a clean beamscope::Error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "remote/completion_protocol.h"
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
  return 0;
}
