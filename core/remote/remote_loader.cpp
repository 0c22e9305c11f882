#include "remote/remote_loader.h"

#include <algorithm>

#include "remote/server_tokenizer.h"
#include "remote/server_vocabulary.h"
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

// config.json's "vocab_size" (the model's rows of logits, which may exceed
// the tokenizer's ids: Qwen pads them); 0 when absent.
int config_vocab(const std::filesystem::path& folder) {
  std::error_code ec;
  const auto file = folder / "config.json";
  if (!std::filesystem::is_regular_file(file, ec)) return 0;
  const nlohmann::json j = read_json_file(file);
  if (!j.is_object() || !j.contains("vocab_size") || !j["vocab_size"].is_number_integer()) return 0;
  const long long v = j["vocab_size"].get<long long>();
  if (v <= 0 || v > (1LL << 26))
    throw Error(file.string() + ": \"vocab_size\" is not a vocabulary size.");
  return static_cast<int>(v);
}

}  // namespace

bool is_server_address(const std::string& model) {
  return model.rfind("http://", 0) == 0 || model.rfind("https://", 0) == 0;
}

LoadedModel open_remote_model(const RemoteOptions& options,
                              const std::filesystem::path& tokenizer_dir) {
  std::filesystem::path folder = tokenizer_dir;
  std::unique_ptr<Tokenizer> tokenizer;
  std::string source;
  if (!folder.empty()) {
    tokenizer = load_tokenizer_folder(folder);
    source = "the folder " + folder.string();
  }
  ServerInfo server = probe_server(options);
  if (!tokenizer && server.vocab_size == 0) {
    // vLLM: no vocabulary size. Its model name is usually the repository it
    // loaded, whose files the shared Hugging Face cache then holds.
    if (auto cached = cached_tokenizer_folder(server.model)) {
      folder = *cached;
      tokenizer = load_tokenizer_folder(folder);
      source = "the Hugging Face cache, " + folder.string();
    } else if (server.has_tokenize) {
      server.vocab_size = search_vocab_size(options, server);
      if (server.vocab_size > 0) {
        source = "the server's /tokenize (a vocabulary of " + std::to_string(server.vocab_size) +
                 " ids, the first it refuses as out of vocabulary)";
        if (server.eos_token.empty()) server.eos_token = tokenizer_info_eos(options, server);
      }
    }
    if (!tokenizer && server.vocab_size == 0) {
      throw Error("The server at " + server.base_url +
                  " does not report its vocabulary size, and neither the Hugging Face cache nor "
                  "the server's answers give it; give --tokenizer DIR, a folder with the served "
                  "model's tokenizer files (or download its repository: beamscope-cli download " +
                  (server.model.empty() ? std::string("ORG/NAME") : server.model) + ").");
    }
  }
  if (!tokenizer) {
    if (!server.has_tokenize) {
      throw Error("The server at " + server.base_url +
                  " has no /tokenize, so Beamscope needs the model's tokenizer here: give "
                  "--tokenizer DIR, a folder with the served model's tokenizer files.");
    }
    tokenizer = std::make_unique<ServerTokenizer>(options, server);
    if (source.empty()) source = "the server's /tokenize";
  }
  const int vocab = std::max(
      {tokenizer->vocab_size(), server.vocab_size, folder.empty() ? 0 : config_vocab(folder)});
  RemoteOptions used = options;
  used.top_n = std::min(options.top_n, server.top_n);  // a server may cap N (vocabulary size)
  LoadedModel loaded;
  const std::string eos_token = server.eos_token;
  auto model = std::make_unique<RemoteModel>(std::move(used), std::move(server), vocab);
  model->set_tokenizer_source(source);
  loaded.info = model->info();
  if (!folder.empty()) {
    read_eos(folder / "config.json", vocab, loaded.info.eos_ids);
    read_eos(folder / "generation_config.json", vocab, loaded.info.eos_ids);
  } else if (!eos_token.empty()) {  // the server's own word for it
    if (auto id = tokenizer->token_id(eos_token)) loaded.info.eos_ids = {*id};
  }
  loaded.model = std::move(model);
  loaded.tokenizer = std::move(tokenizer);
  return loaded;
}

}  // namespace beamscope::remote
