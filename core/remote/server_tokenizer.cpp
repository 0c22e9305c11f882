#include "remote/server_tokenizer.h"

#include <nlohmann/json.hpp>

#include "remote/server_call.h"
#include "util/error.h"

namespace beamscope::remote {

using nlohmann::json;

namespace {

json parse_answer(const std::string& body, const std::string& url) {
  const json j = json::parse(body, nullptr, false);
  if (!j.is_object()) throw Error("The server at " + url + " answered something that is not JSON.");
  return j;
}

}  // namespace

ServerTokenizer::ServerTokenizer(RemoteOptions options, ServerInfo server)
    : options_(std::move(options)), server_(std::move(server)) {
  if (server_.vocab_size <= 0) {
    throw Error("The server at " + server_.base_url +
                " does not report its vocabulary size, so its tokenizer cannot stand in for a "
                "local one; give --tokenizer DIR.");
  }
}

std::vector<std::int32_t> ServerTokenizer::encode(std::string_view text,
                                                  bool add_special_tokens) const {
  const std::string url = server_.base_url + "/tokenize";
  json request;
  if (server_.kind == ServerKind::LlamaCppNative) {
    request = {{"content", text}, {"add_special", add_special_tokens}, {"parse_special", true}};
  } else {
    request = {
        {"model", server_.model}, {"prompt", text}, {"add_special_tokens", add_special_tokens}};
  }
  const json answer = parse_answer(call_server(options_, "POST", url, request.dump()), url);
  if (!answer.contains("tokens") || !answer["tokens"].is_array())
    throw Error("The server at " + url + " answered without a \"tokens\" list.");
  std::vector<std::int32_t> ids;
  for (const json& t : answer["tokens"]) {
    if (!t.is_number_integer() || t.get<long long>() < 0 || t.get<long long>() >= vocab_size())
      throw Error("The server at " + url + " answered a token id outside its vocabulary.");
    ids.push_back(t.get<std::int32_t>());
  }
  return ids;
}

std::string ServerTokenizer::decode(std::span<const std::int32_t> ids) const {
  const std::string url = server_.base_url + "/detokenize";
  json request = {{"tokens", std::vector<std::int32_t>(ids.begin(), ids.end())}};
  if (server_.kind == ServerKind::OpenAiCompletions) request["model"] = server_.model;
  const json answer = parse_answer(call_server(options_, "POST", url, request.dump()), url);
  for (const char* key : {"content", "prompt"}) {
    if (answer.contains(key) && answer[key].is_string()) return answer[key].get<std::string>();
  }
  throw Error("The server at " + url + " answered without the text.");
}

std::string ServerTokenizer::token_bytes(std::int32_t id) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = pieces_.find(id); it != pieces_.end()) return it->second;
  }
  std::string text = decode(std::span<const std::int32_t>(&id, 1));
  std::lock_guard<std::mutex> lock(mutex_);
  return pieces_.emplace(id, std::move(text)).first->second;
}

std::optional<std::int32_t> ServerTokenizer::token_id(std::string_view token_text) const {
  const std::vector<std::int32_t> ids = encode(token_text, false);
  if (ids.size() != 1) return std::nullopt;
  return ids.front();
}

}  // namespace beamscope::remote
