#include "remote/completion_protocol.h"

#include <charconv>
#include <cmath>
#include <string_view>

#include "util/error.h"

namespace beamscope::remote {

using nlohmann::json;

namespace {

[[noreturn]] void malformed(const std::string& url, const std::string& what) {
  throw Error("The server at " + url + " answered a completion Beamscope cannot read: " + what +
              ".");
}

std::int32_t id_from_key(std::string_view key, const std::string& url) {
  constexpr std::string_view kPrefix = "token_id:";
  std::int32_t id = -1;
  if (key.substr(0, kPrefix.size()) == kPrefix) {
    const char* first = key.data() + kPrefix.size();
    const char* last = key.data() + key.size();
    const auto [end, ec] = std::from_chars(first, last, id);
    if (ec == std::errc() && end == last && id >= 0) return id;
  }
  malformed(url, "it names tokens by text (\"" + std::string(key.substr(0, 40)) +
                     "\"), not by id; a vLLM server gives ids with return_tokens_as_token_ids");
}

double logprob_of(const json& entry, const std::string& url) {
  if (entry.contains("logprob") && entry["logprob"].is_number())
    return entry["logprob"].get<double>();
  // Older llama.cpp servers gave probabilities.
  if (entry.contains("prob") && entry["prob"].is_number()) {
    const double p = entry["prob"].get<double>();
    return p > 0 ? std::log(p) : -std::numeric_limits<double>::infinity();
  }
  malformed(url, "a listed token has no number \"logprob\"");
}

// [{"id": 12, "logprob": -0.3, ...}, ...]
TopLogprobs from_id_entries(const json& entries, const std::string& url) {
  if (!entries.is_array()) malformed(url, "\"top_logprobs\" is not a list");
  TopLogprobs out;
  for (const json& e : entries) {
    if (!e.is_object() || !e.contains("id") || !e["id"].is_number_integer())
      malformed(url, "a listed token has no integer \"id\"");
    const auto id = e["id"].get<long long>();
    if (id < 0 || id > INT32_MAX) malformed(url, "a token id is out of range");
    out.emplace_back(static_cast<std::int32_t>(id), logprob_of(e, url));
  }
  return out;
}

const json& member(const json& j, const char* key, const std::string& url) {
  if (!j.is_object() || !j.contains(key)) malformed(url, std::string("\"") + key + "\" is missing");
  return j[key];
}

}  // namespace

std::string completion_path(ServerKind kind) {
  return kind == ServerKind::LlamaCppNative ? "/completion" : "/v1/completions";
}

json completion_request(ServerKind kind, const std::string& model,
                        const std::vector<std::int32_t>& prefix, int top_n) {
  if (kind == ServerKind::LlamaCppNative) {
    // post_sampling_probs false: the probabilities of the raw distribution,
    // not of what the server's own sampler kept. Temperature -1: greedy, and
    // the probabilities a plain softmax of the logits (older servers gave
    // none at temperature 0).
    return {{"prompt", prefix},      {"n_predict", 1},       {"n_probs", top_n},
            {"temperature", -1.0},   {"cache_prompt", true}, {"post_sampling_probs", false},
            {"return_tokens", false}};
  }
  json r = {{"prompt", prefix},   {"max_tokens", 1}, {"logprobs", top_n},
            {"temperature", 0.0}, {"echo", false},   {"return_tokens_as_token_ids", true}};
  if (!model.empty()) r["model"] = model;
  return r;
}

TopLogprobs parse_completion(ServerKind kind, const std::string& body, const std::string& url) {
  json j;
  try {
    j = json::parse(body);
  } catch (const json::exception&) {
    malformed(url, "it is not JSON");
  }
  if (kind == ServerKind::LlamaCppNative) {
    const json& steps = member(j, "completion_probabilities", url);
    if (!steps.is_array() || steps.empty()) malformed(url, "\"completion_probabilities\" is empty");
    const json& step = steps[0];
    if (step.is_object() && step.contains("top_logprobs"))
      return from_id_entries(step["top_logprobs"], url);
    return from_id_entries(member(step, "probs", url), url);
  }
  const json& choices = member(j, "choices", url);
  if (!choices.is_array() || choices.empty()) malformed(url, "\"choices\" is empty");
  const json& logprobs = member(choices[0], "logprobs", url);
  if (logprobs.is_object() && logprobs.contains("content")) {  // llama.cpp's OpenAI answers
    const json& content = logprobs["content"];
    if (!content.is_array() || content.empty()) malformed(url, "\"logprobs.content\" is empty");
    return from_id_entries(member(content[0], "top_logprobs", url), url);
  }
  const json& tops = member(logprobs, "top_logprobs", url);
  if (!tops.is_array() || tops.empty() || !tops[0].is_object())
    malformed(url, "\"top_logprobs\" has no entry for the step");
  TopLogprobs out;
  for (const auto& [key, value] : tops[0].items()) {
    if (!value.is_number()) malformed(url, "a log-prob is not a number");
    out.emplace_back(id_from_key(key, url), value.get<double>());
  }
  return out;
}

}  // namespace beamscope::remote
