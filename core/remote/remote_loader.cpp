#include "remote/remote_loader.h"

#include <algorithm>

#include "remote/server_tokenizer.h"
#include "tokenizer/load_tokenizer.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::remote {

namespace {

// eos_token_id from a config file: an id, a list of ids, or absent.
void read_eos(const std::filesystem::path& file, int vocab, std::vector<std::int32_t>& eos) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return;
  const nlohmann::json j = read_json_file(file);
  if (!j.is_object() || !j.contains("eos_token_id") || j["eos_token_id"].is_null()) return;
  const nlohmann::json& v = j["eos_token_id"];
  std::vector<std::int32_t> ids;
  for (const nlohmann::json& x : v.is_array() ? v : nlohmann::json::array({v})) {
    if (!x.is_number_integer() || x.get<long long>() < 0 || x.get<long long>() >= vocab)
      throw Error(file.string() + ": \"eos_token_id\" is not a token id of the vocabulary.");
    ids.push_back(x.get<std::int32_t>());
  }
  eos = std::move(ids);
}

}  // namespace

bool is_server_address(const std::string& model) {
  return model.rfind("http://", 0) == 0 || model.rfind("https://", 0) == 0;
}

LoadedModel open_remote_model(const RemoteOptions& options,
                              const std::filesystem::path& tokenizer_dir) {
  std::unique_ptr<Tokenizer> tokenizer;
  if (!tokenizer_dir.empty()) tokenizer = load_tokenizer_folder(tokenizer_dir);
  ServerInfo server = probe_server(options);
  if (!tokenizer) {
    if (!server.has_tokenize) {
      throw Error("The server at " + server.base_url +
                  " has no /tokenize, so Beamscope needs the model's tokenizer here: give "
                  "--tokenizer DIR, a folder with the served model's tokenizer files.");
    }
    tokenizer = std::make_unique<ServerTokenizer>(options, server);
  }
  const int vocab = std::max(tokenizer->vocab_size(), server.vocab_size);
  RemoteOptions used = options;
  used.top_n = std::min(options.top_n, server.top_n);  // a server may cap N (vocabulary size)
  LoadedModel loaded;
  const std::string eos_token = server.eos_token;
  auto model = std::make_unique<RemoteModel>(std::move(used), std::move(server), vocab);
  loaded.info = model->info();
  if (!tokenizer_dir.empty()) {
    read_eos(tokenizer_dir / "config.json", vocab, loaded.info.eos_ids);
    read_eos(tokenizer_dir / "generation_config.json", vocab, loaded.info.eos_ids);
  } else if (!eos_token.empty()) {  // the server's own word for it
    if (auto id = tokenizer->token_id(eos_token)) loaded.info.eos_ids = {*id};
  }
  loaded.model = std::move(model);
  loaded.tokenizer = std::move(tokenizer);
  return loaded;
}

}  // namespace beamscope::remote
