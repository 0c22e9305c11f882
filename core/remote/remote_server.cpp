#include "remote/remote_server.h"

#include <nlohmann/json.hpp>

#include "remote/completion_protocol.h"
#include "remote/server_call.h"
#include "util/error.h"

namespace beamscope::remote {

using nlohmann::json;

std::string_view to_string(ServerKind kind) {
  return kind == ServerKind::LlamaCppNative ? "llama.cpp" : "openai-completions";
}

std::string server_base_url(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    throw Error("The server address \"" + url + "\" does not start with http:// or https://.");
  }
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0)
    base.resize(base.size() - 3);
  return base;
}

namespace {

json parse_or_fail(const std::string& body, const std::string& url) {
  try {
    return json::parse(body);
  } catch (const json::exception&) {
    throw Error("The server at " + url + " answered something that is not JSON.");
  }
}

// ": <message>" from an error body: vLLM's {"message": ...}, OpenAI's
// {"error": {"message": ...}} or {"error": "..."}; "" when none.
std::string server_message(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  const json* m = nullptr;
  if (j.is_object() && j.contains("message")) m = &j["message"];
  if (j.is_object() && j.contains("error")) {
    const json& e = j["error"];
    m = e.is_object() && e.contains("message") ? &e["message"] : &e;
  }
  if (!m || !m->is_string()) return "";
  std::string text = m->get<std::string>().substr(0, 300);
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  return ": " + text;
}

int int_at(const json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number_integer() ? j[key].get<int>() : 0;
}

}  // namespace

ServerInfo probe_server(const RemoteOptions& options) {
  ServerInfo info;
  info.base_url = server_base_url(options.url);
  // llama.cpp's server has /props; OpenAI-compatible servers answer 404.
  const ServerAnswer props = try_server(options, "GET", info.base_url + "/props", "");
  if (props.status == 200) {
    const json p = parse_or_fail(props.body, info.base_url + "/props");
    if (p.is_object() && p.contains("default_generation_settings")) {
      info.kind = ServerKind::LlamaCppNative;
      info.context_length = int_at(p["default_generation_settings"], "n_ctx");
      if (p.contains("eos_token") && p["eos_token"].is_string())
        info.eos_token = p["eos_token"].get<std::string>();
    }
  }
  const std::string models_url = info.base_url + "/v1/models";
  const ServerAnswer models = try_server(options, "GET", models_url, "");
  if (models.status == 200) {
    const json m = parse_or_fail(models.body, models_url);
    if (m.is_object() && m.contains("data") && m["data"].is_array()) {
      for (const json& entry : m["data"]) {
        if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) continue;
        info.models.push_back(entry["id"].get<std::string>());
        if (info.context_length == 0) info.context_length = int_at(entry, "max_model_len");
        if (entry.contains("meta")) info.vocab_size = int_at(entry["meta"], "n_vocab");
      }
    }
  } else if (info.kind != ServerKind::LlamaCppNative) {
    throw Error("The server at " + info.base_url +
                " speaks neither the OpenAI completions API (/v1/models answered HTTP " +
                std::to_string(models.status) + ") nor llama.cpp's (/props).");
  }
  if (info.kind == ServerKind::OpenAiCompletions) {
    if (info.models.empty())
      throw Error("The server at " + info.base_url + " lists no models at /v1/models.");
    info.model = options.model.empty() ? info.models.front() : options.model;
    if (std::find(info.models.begin(), info.models.end(), info.model) == info.models.end()) {
      std::string names;
      for (const std::string& n : info.models) names += (names.empty() ? "" : ", ") + n;
      throw Error("The server at " + info.base_url + " has no model named \"" + info.model +
                  "\"; it serves: " + names + ".");
    }
  }
  // One step after token 0 (in every vocabulary) shows how many the server gives.
  const std::string url = info.base_url + completion_path(info.kind);
  const ServerAnswer step = try_server(
      options, "POST", url, completion_request(info.kind, info.model, {0}, options.top_n).dump());
  if (step.status != 200) {
    throw Error("The server at " + info.base_url + " refused a step with " +
                std::to_string(options.top_n) + " log-probs (HTTP " + std::to_string(step.status) +
                server_message(step.body) + "); ask for fewer with --top-n.");
  }
  info.top_n = static_cast<int>(parse_completion(info.kind, step.body, url).size());
  const json tokenize = {{"model", info.model}, {"prompt", "a"}, {"content", "a"}};
  info.has_tokenize =
      try_server(options, "POST", info.base_url + "/tokenize", tokenize.dump()).status == 200;
  return info;
}

}  // namespace beamscope::remote
