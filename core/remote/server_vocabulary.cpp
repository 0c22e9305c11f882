#include "remote/server_vocabulary.h"

#include <nlohmann/json.hpp>

#include "discovery/find_models.h"
#include "hub/hub_settings.h"
#include "remote/server_call.h"
#include "tokenizer/load_tokenizer.h"
#include "util/error.h"

namespace beamscope::remote {

using nlohmann::json;

std::optional<std::filesystem::path> cached_tokenizer_folder(const std::string& model_name) {
  try {
    hub::check_repo_id(model_name);
  } catch (const Error&) {
    return std::nullopt;  // a path or a served alias: not a repository id
  }
  const hub::HubSettings hub = hub::hub_settings_from_environment();
  const auto snapshot = hf_cache_snapshot(hub::repo_cache_folder(hub.cache, model_name));
  if (!snapshot || !folder_has_tokenizer(*snapshot)) return std::nullopt;
  return snapshot;
}

namespace {

enum class IdAnswer { Inside, Beyond, Other };

IdAnswer ask_id(const RemoteOptions& options, const ServerInfo& server, long long id) {
  json request = {{"prompt", {id}}, {"max_tokens", 1}, {"temperature", 0.0}};
  if (!server.model.empty()) request["model"] = server.model;
  const ServerAnswer a =
      try_server(options, "POST", server.base_url + "/v1/completions", request.dump());
  if (a.status == 200) return IdAnswer::Inside;
  if (a.status == 400 && a.body.find("out of vocabulary") != std::string::npos)
    return IdAnswer::Beyond;
  return IdAnswer::Other;
}

}  // namespace

int search_vocab_size(const RemoteOptions& options, const ServerInfo& server) {
  constexpr long long kLimit = 1LL << 26;  // no vocabulary is this large
  // Id 0 was answered by probe_server's step; the first power of two at or
  // above 1024 that is refused bounds the vocabulary.
  long long inside = 0;
  long long beyond = 1024;
  for (;; beyond *= 2) {
    const IdAnswer a = ask_id(options, server, beyond);
    if (a == IdAnswer::Beyond) break;
    if (a == IdAnswer::Other || beyond >= kLimit) return 0;
    inside = beyond;
  }
  while (beyond - inside > 1) {
    const long long mid = inside + (beyond - inside) / 2;
    const IdAnswer a = ask_id(options, server, mid);
    if (a == IdAnswer::Other) return 0;
    (a == IdAnswer::Inside ? inside : beyond) = mid;
  }
  return static_cast<int>(beyond);
}

std::string tokenizer_info_eos(const RemoteOptions& options, const ServerInfo& server) {
  const ServerAnswer a = try_server(options, "GET", server.base_url + "/tokenizer_info", "");
  if (a.status != 200) return "";
  const json j = json::parse(a.body, nullptr, false);
  if (!j.is_object() || !j.contains("eos_token")) return "";
  const json& eos = j["eos_token"];
  if (eos.is_string()) return eos.get<std::string>();
  if (eos.is_object() && eos.contains("content") && eos["content"].is_string())
    return eos["content"].get<std::string>();
  return "";
}

}  // namespace beamscope::remote
