#include "cli/model_option.h"

#include <cstdlib>

#include "remote/remote_loader.h"

namespace beamscope::cli {

LoadedModel load_model_option(const Args& args) {
  const std::string model = args.get_or("model", bundled_model_dir().string());
  if (!remote::is_server_address(model)) {
    return load_model(model, {}, args.get_or("tokenizer", ""));
  }
  remote::RemoteOptions options;
  options.url = model;
  options.model = args.get_or("server-model", "");
  options.top_n = args.get_int("top-n", options.top_n);
  const std::string key_env = args.get_or("api-key-env", "OPENAI_API_KEY");
  if (const char* key = std::getenv(key_env.c_str())) options.api_key = key;
  return remote::open_remote_model(options, args.get_or("tokenizer", ""));
}

}  // namespace beamscope::cli
