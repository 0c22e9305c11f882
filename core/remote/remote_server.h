#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace beamscope::remote {

// Where a remote engine is and how to ask it. The API key lives only here,
// in memory: nothing writes it to settings, sessions, exports or logs.
struct RemoteOptions {
  std::string url;      // "http://host:port" or "https://host/v1", as the user typed it
  std::string model;    // the server's model name; empty = the one it lists first
  std::string api_key;  // empty = none (sent as "Authorization: Bearer KEY")
  int top_n = 20;       // log-probs asked per step (vLLM's default max_logprobs)
  int max_in_flight = 8;
  long timeout_s = 120;  // per request, retries aside
  int max_retries = 5;   // for 429 / 503 answers, with growing pauses
};

// The two ways of asking for one step's top log-probs.
enum class ServerKind {
  OpenAiCompletions,  // POST /v1/completions, logprobs N (vLLM, SGLang, LM Studio, ...)
  LlamaCppNative,     // POST /completion, n_probs N (llama.cpp's llama-server)
};
std::string_view to_string(ServerKind kind);

// What `server-info` and "Test connection" report, and what the engine
// needs to talk to the server.
struct ServerInfo {
  ServerKind kind = ServerKind::OpenAiCompletions;
  std::string base_url;             // without a trailing "/" or "/v1"
  std::vector<std::string> models;  // as /v1/models lists them
  std::string model;                // the one used ("" when the server ignores names)
  int top_n = 0;                    // log-probs per step the server gave for the N asked
  int context_length = 0;           // 0 = not reported
  int vocab_size = 0;               // 0 = not reported
  bool has_tokenize = false;        // /tokenize and /detokenize answer
  std::string eos_token;            // llama.cpp's /props names it as text; "" = not said
};

// "http://h:8000/v1/" -> "http://h:8000"; throws for a URL that is not
// http(s).
std::string server_base_url(const std::string& url);

// Asks the server what it is (llama.cpp's /props, else /v1/models), checks
// the model name and the key, and asks one step with `options.top_n`
// log-probs to learn how many it gives. One sentence per failure.
ServerInfo probe_server(const RemoteOptions& options);

}  // namespace beamscope::remote
