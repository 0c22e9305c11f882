#include "remote/prompt_logprobs.h"

#include <string_view>

#include "util/error.h"

namespace beamscope::remote {

using nlohmann::json;

const char* to_string(PromptWay way) {
  switch (way) {
    case PromptWay::EchoOnly:
      return "echo";
    case PromptWay::EchoAndOne:
      return "echo+1";
    case PromptWay::PromptLogprobs:
      return "prompt_logprobs";
  }
  return "?";
}

json prompt_logprobs_request(PromptWay way, const std::string& model,
                             const std::vector<std::int32_t>& ids) {
  // Temperature 0: the one generated token (where there is one) is not drawn
  // at random; the prompt's log-probs are the raw distribution's either way.
  json r = {{"prompt", ids}, {"temperature", 0.0}, {"return_tokens_as_token_ids", true}};
  if (way == PromptWay::PromptLogprobs) {
    r["max_tokens"] = 1;
    r["prompt_logprobs"] = 1;
  } else {
    r["echo"] = true;
    r["logprobs"] = 1;
    r["max_tokens"] = way == PromptWay::EchoOnly ? 0 : 1;
  }
  if (!model.empty()) r["model"] = model;
  return r;
}

namespace {

std::optional<double> value_of(const json& v) {
  if (!v.is_number()) return std::nullopt;
  const double x = v.get<double>();
  if (x <= kClamped) return std::nullopt;  // clamped: below what the server writes
  return x;
}

// "token_id:12" names id 12; a token given as text cannot be checked.
bool names_other_id(const json& token, std::int32_t id) {
  constexpr std::string_view kPrefix = "token_id:";
  if (!token.is_string()) return false;
  const std::string& text = token.get_ref<const std::string&>();
  if (text.rfind(kPrefix, 0) != 0) return false;
  return text.substr(kPrefix.size()) != std::to_string(id);
}

std::optional<PromptLogprobs> from_echo(const json& logprobs,
                                        const std::vector<std::int32_t>& ids) {
  if (!logprobs.is_object() || !logprobs.contains("token_logprobs")) return std::nullopt;
  const json& values = logprobs["token_logprobs"];
  const std::size_t n = ids.size();
  // The prompt comes first, its first entry null (nothing precedes it): a
  // server that ignored echo lists only what it generated.
  if (!values.is_array() || values.size() < n || !values[0].is_null()) return std::nullopt;
  const json* tokens =
      logprobs.contains("tokens") && logprobs["tokens"].is_array() ? &logprobs["tokens"] : nullptr;
  PromptLogprobs out(n);
  for (std::size_t i = 1; i < n; ++i) {
    if (!values[i].is_number()) return std::nullopt;
    if (tokens && i < tokens->size() && names_other_id((*tokens)[i], ids[i])) return std::nullopt;
    out[i] = value_of(values[i]);
  }
  return out;
}

std::optional<PromptLogprobs> from_prompt_logprobs(const json& entries,
                                                   const std::vector<std::int32_t>& ids) {
  const std::size_t n = ids.size();
  if (!entries.is_array() || entries.size() != n || !entries[0].is_null()) return std::nullopt;
  PromptLogprobs out(n);
  for (std::size_t i = 1; i < n; ++i) {
    const std::string key = std::to_string(ids[i]);
    const json& e = entries[i];
    if (!e.is_object() || !e.contains(key) || !e[key].is_object() || !e[key].contains("logprob")) {
      return std::nullopt;
    }
    const json& v = e[key]["logprob"];
    // vLLM writes -inf as -9999 in its answers; a JSON null is the same.
    if (!v.is_number() && !v.is_null()) return std::nullopt;
    out[i] = value_of(v);
  }
  return out;
}

}  // namespace

std::optional<PromptLogprobs> parse_prompt_logprobs(PromptWay way, const std::string& body,
                                                    const std::vector<std::int32_t>& ids,
                                                    const std::string& url) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw Error("The server at " + url + " answered something that is not JSON.");
  if (ids.empty() || !j.is_object() || !j.contains("choices") || !j["choices"].is_array() ||
      j["choices"].empty() || !j["choices"][0].is_object()) {
    return std::nullopt;
  }
  const json& choice = j["choices"][0];
  if (way == PromptWay::PromptLogprobs) {
    if (!choice.contains("prompt_logprobs")) return std::nullopt;
    return from_prompt_logprobs(choice["prompt_logprobs"], ids);
  }
  if (!choice.contains("logprobs")) return std::nullopt;
  return from_echo(choice["logprobs"], ids);
}

}  // namespace beamscope::remote
