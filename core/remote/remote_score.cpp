#include "remote/remote_score.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "remote/prompt_logprobs.h"
#include "util/error.h"

namespace beamscope::remote {

namespace {

constexpr const char* kCompletions = "/v1/completions";

// The first way of prompt_logprobs.h the server answers correctly for
// `probe`, or nullopt. A refusal (HTTP 400, an unknown field) is not an
// error here: the next way is tried.
std::optional<PromptWay> detect(RemoteModel& model, const std::vector<std::int32_t>& probe) {
  const std::string url = model.server().base_url + kCompletions;
  for (PromptWay way : {PromptWay::EchoOnly, PromptWay::EchoAndOne, PromptWay::PromptLogprobs}) {
    std::string body;
    try {
      body = model.post(kCompletions,
                        prompt_logprobs_request(way, model.server().model, probe).dump());
    } catch (const Cancelled&) {
      throw;
    } catch (const Error&) {
      continue;
    }
    const auto parsed = parse_prompt_logprobs(way, body, probe, url);
    if (parsed) return way;
  }
  return std::nullopt;
}

class Scorer {
 public:
  Scorer(RemoteModel& model, const Tokenizer& tokenizer, std::vector<std::int32_t> sequence)
      : model_(model), tokenizer_(tokenizer), S_(std::move(sequence)) {}

  // Sums log p(S[j] | S[s..j)) for j in (s, s + len).
  double window(std::size_t s, std::size_t len, std::optional<PromptWay> way) {
    const std::vector<std::int32_t> prompt(S_.begin() + static_cast<std::ptrdiff_t>(s),
                                           S_.begin() + static_cast<std::ptrdiff_t>(s + len));
    double total = 0;
    if (way) {
      const std::string url = model_.server().base_url + kCompletions;
      const std::string body = model_.post(
          kCompletions, prompt_logprobs_request(*way, model_.server().model, prompt).dump());
      const auto parsed = parse_prompt_logprobs(*way, body, prompt, url);
      if (!parsed) {
        throw Error("The server at " + model_.server().base_url +
                    " answered a request for prompt log-probs (" + to_string(*way) +
                    ") without them, though it gave them before.");
      }
      for (std::size_t i = 1; i < len; ++i) {
        if (!(*parsed)[i]) unknown(s + i, "gives it only as its floor of -9999");
        total += *(*parsed)[i];
      }
      return total;
    }
    std::vector<std::vector<std::int32_t>> prefixes;
    for (std::size_t i = 1; i < len; ++i)
      prefixes.emplace_back(prompt.begin(), prompt.begin() + static_cast<std::ptrdiff_t>(i));
    const std::vector<TopLogprobs> tops = model_.next_top_logprobs(prefixes);
    for (std::size_t i = 1; i < len; ++i) {
      const TopLogprobs& top = tops[i - 1];
      const auto it =
          std::find_if(top.begin(), top.end(), [&](const auto& e) { return e.first == prompt[i]; });
      if (it == top.end()) {
        unknown(s + i, "lists only its top " + std::to_string(top.size()) +
                           " after the tokens before it, and it is not among them");
      }
      total += it->second;
    }
    return total;
  }

 private:
  [[noreturn]] void unknown(std::size_t j, const std::string& why) const {
    const std::int32_t id = S_[j];
    const std::string piece = nlohmann::json(tokenizer_.token_bytes(id))
                                  .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    throw Error("The log-prob of token " + std::to_string(j) + " of the text (id " +
                std::to_string(id) + ", " + piece + ") is unknown: the server at " +
                model_.server().base_url + " " + why +
                "; score with a server that gives prompt log-probs (vLLM), a larger --top-n, "
                "or a local model.");
  }

  RemoteModel& model_;
  const Tokenizer& tokenizer_;
  std::vector<std::int32_t> S_;
};

}  // namespace

RemoteTextScore score_text_on_server(RemoteModel& model, const Tokenizer& tokenizer,
                                     std::int32_t eos_id, std::string_view text,
                                     const ProgressFn& progress) {
  RemoteTextScore out;
  std::vector<std::int32_t> ids;
  out.score = count_text(tokenizer, eos_id, text, ids);
  TextScore& score = out.score;
  std::vector<std::int32_t> S = {eos_id};
  S.insert(S.end(), ids.begin(), ids.end());

  const int sent_before = model.requests_sent();
  const std::vector<std::int32_t> probe(
      S.begin(), S.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(3, S.size())));
  const std::optional<PromptWay> way = detect(model, probe);
  out.method = way ? to_string(*way) : "top-n";
  const std::size_t context = static_cast<std::size_t>(std::max(0, model.info().context_length));
  std::size_t window = context == 0 ? S.size() : context;
  if (context != 0 && way != PromptWay::EchoOnly) window = context - 1;
  if (window < 2) {
    throw Error("The server at " + model.server().base_url + " reports a context of " +
                std::to_string(context) + " tokens, too short to score a text.");
  }
  out.window = static_cast<int>(window);

  Scorer scorer(model, tokenizer, S);
  for (std::size_t s = 0; s + 1 < S.size();) {
    const std::size_t len = std::min(window, S.size() - s);
    score.total_logprob += scorer.window(s, len, way);
    s += len - 1;
    if (progress && !progress(static_cast<double>(s) / (S.size() - 1), "Scoring")) {
      throw Cancelled();
    }
  }
  score.bits_per_byte = -score.total_logprob / std::log(2.0) / static_cast<double>(score.bytes);
  out.requests = model.requests_sent() - sent_before;
  return out;
}

}  // namespace beamscope::remote
