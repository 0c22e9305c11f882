#include "remote/remote_loader.h"

#include <algorithm>

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
  if (tokenizer_dir.empty()) {
    throw Error(
        "A model on a server needs its tokenizer here: give --tokenizer DIR, a folder "
        "with the served model's tokenizer files.");
  }
  std::unique_ptr<Tokenizer> tokenizer = load_tokenizer_folder(tokenizer_dir);
  ServerInfo server = probe_server(options);
  const int vocab = std::max(tokenizer->vocab_size(), server.vocab_size);
  RemoteOptions used = options;
  used.top_n = std::min(options.top_n, server.top_n);  // a server may cap N (vocabulary size)
  LoadedModel loaded;
  auto model = std::make_unique<RemoteModel>(std::move(used), std::move(server), vocab);
  loaded.info = model->info();
  read_eos(tokenizer_dir / "config.json", vocab, loaded.info.eos_ids);
  read_eos(tokenizer_dir / "generation_config.json", vocab, loaded.info.eos_ids);
  loaded.model = std::move(model);
  loaded.tokenizer = std::move(tokenizer);
  return loaded;
}

}  // namespace beamscope::remote
