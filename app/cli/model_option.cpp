#include "cli/model_option.h"

#include <cstdlib>
#include <iostream>

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
  const std::string tokenizer = args.get_or("tokenizer", "");
  LoadedModel loaded = remote::open_remote_model(options, tokenizer);
  // A tokenizer the user did not name (the Hugging Face cache's, or the
  // server's with a vocabulary size it found) is said once on stderr.
  const auto& served = dynamic_cast<const remote::RemoteModel&>(*loaded.model);
  const std::string& source = served.tokenizer_source();
  if (source.find("Hugging Face cache") != std::string::npos ||
      source.find("out of vocabulary") != std::string::npos) {
    std::cerr << "beamscope-cli: the tokenizer comes from " << source << ".\n";
  }
  return loaded;
}

}  // namespace beamscope::cli
