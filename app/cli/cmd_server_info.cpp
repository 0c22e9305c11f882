// beamscope-cli server-info URL: "test connection" for a remote engine: what
// the server speaks, its models, how many log-probs per step it gives.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "remote/remote_server.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

int run_server_info(const std::vector<std::string>& argv) {
  const Args args(argv, {"url", "server-model", "api-key-env", "top-n"});
  remote::RemoteOptions options;
  options.url = args.get_or("url", "");
  if (options.url.empty()) throw Error("server-info needs --url http://host:port.");
  options.model = args.get_or("server-model", "");
  options.top_n = args.get_int("top-n", options.top_n);
  options.timeout_s = 30;
  const std::string key_env = args.get_or("api-key-env", "OPENAI_API_KEY");
  if (const char* key = std::getenv(key_env.c_str())) options.api_key = key;
  const remote::ServerInfo info = remote::probe_server(options);
  nlohmann::ordered_json out;
  out["url"] = info.base_url;
  out["kind"] = std::string(remote::to_string(info.kind));
  out["models"] = info.models;
  out["model"] = info.model;
  out["top_n"] = info.top_n;
  out["context_length"] = info.context_length;
  out["vocab_size"] = info.vocab_size;
  out["tokenize"] = info.has_tokenize;
  std::cout << out.dump() << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"server-info", "test the connection to a model server: its kind, models and top-N",
     "--url http://host:port[/v1] [--server-model NAME] [--api-key-env NAME] [--top-n N]\n"
     "  Asks the server what it speaks (llama.cpp's /props, else the OpenAI /v1/models)\n"
     "  and runs one step with --top-n log-probs (default 20). Prints {\"url\", \"kind\"\n"
     "  (\"llama.cpp\" | \"openai-completions\"), \"models\", \"model\" (the one used),\n"
     "  \"top_n\" (log-probs the step gave), \"context_length\", \"vocab_size\" (0 = not\n"
     "  reported), \"tokenize\" (the server has /tokenize)}. The API key is read from the\n"
     "  variable --api-key-env names (default OPENAI_API_KEY), never from an option.",
     run_server_info});

}  // namespace
}  // namespace beamscope::cli
