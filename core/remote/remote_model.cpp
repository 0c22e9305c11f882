#include "remote/remote_model.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>
#include <vector>

#include "remote/completion_protocol.h"
#include "remote/server_call.h"
#include "util/error.h"

namespace beamscope::remote {

namespace {

// The token ids fed so far: all a remote "cache" needs to name the prefix.
class TokenListCache final : public KvCache {
 public:
  std::vector<std::int32_t> tokens;
  int length() const override { return static_cast<int>(tokens.size()); }
  std::unique_ptr<KvCache> clone() const override {
    return std::make_unique<TokenListCache>(*this);
  }
  void truncate(int n) override { tokens.resize(static_cast<std::size_t>(n)); }
  std::size_t bytes() const override { return tokens.size() * sizeof(std::int32_t); }
};

TokenListCache& token_list(KvCache& cache) { return dynamic_cast<TokenListCache&>(cache); }

}  // namespace

RemoteModel::RemoteModel(RemoteOptions options, ServerInfo server, int vocab_size)
    : options_(std::move(options)), server_(std::move(server)) {
  info_.architecture = "remote " + std::string(to_string(server_.kind));
  // The address only: the key is never part of what a session records.
  info_.path = server_.base_url + (server_.model.empty() ? "" : " " + server_.model);
  info_.dtype = "remote";
  info_.vocab_size = vocab_size;
  info_.context_length = server_.context_length;
  info_.top_logprobs = options_.top_n;
}

std::unique_ptr<KvCache> RemoteModel::new_cache() const {
  return std::make_unique<TokenListCache>();
}

void RemoteModel::set_progress(std::function<void(int, int)> progress) {
  std::lock_guard<std::mutex> lock(progress_mutex_);
  progress_ = std::move(progress);
}

void RemoteModel::report(int done, int total) {
  std::lock_guard<std::mutex> lock(progress_mutex_);
  if (progress_) progress_(done, total);
}

TopLogprobs RemoteModel::fetch(const std::vector<std::int32_t>& prefix) {
  const std::string body =
      completion_request(server_.kind, server_.model, prefix, options_.top_n).dump();
  const std::string path = completion_path(server_.kind);
  TopLogprobs top = parse_completion(server_.kind, post(path, body), server_.base_url + path);
  for (const auto& entry : top) {
    if (entry.first >= info_.vocab_size) {
      throw Error("The server at " + server_.base_url + " listed token id " +
                  std::to_string(entry.first) + ", outside the tokenizer's vocabulary of " +
                  std::to_string(info_.vocab_size) + " tokens; is it serving another model?");
    }
  }
  if (static_cast<int>(top.size()) < options_.top_n &&
      static_cast<int>(top.size()) < info_.vocab_size) {
    throw Error("The server at " + server_.base_url + " listed " + std::to_string(top.size()) +
                " tokens where " + std::to_string(options_.top_n) +
                " were asked; lower the top-N to what it allows.");
  }
  return top;
}

std::string RemoteModel::post(const std::string& path, const std::string& body) {
  ++requests_;
  return call_server(options_, "POST", server_.base_url + path, body, &cancel_);
}

void RemoteModel::write_row(const TopLogprobs& top, std::span<float> out) const {
  std::fill(out.begin(), out.end(), -std::numeric_limits<float>::infinity());
  for (const auto& [id, logprob] : top)
    out[static_cast<std::size_t>(id)] = static_cast<float>(logprob);
}

void RemoteModel::prefill(KvCache& cache, std::span<const std::int32_t> tokens,
                          std::span<float> logits) {
  TokenListCache& list = token_list(cache);
  list.tokens.insert(list.tokens.end(), tokens.begin(), tokens.end());
  report(0, 1);
  write_row(fetch(list.tokens), logits);
  report(1, 1);
}

void RemoteModel::run_concurrently(std::size_t rows, const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  std::atomic<int> done{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto worker = [&] {
    for (std::size_t i; !failed && (i = next++) < rows;) {
      try {
        job(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
      // Counted under the lock so the reports go up one by one.
      std::lock_guard<std::mutex> lock(progress_mutex_);
      const int answered = ++done;
      if (progress_) progress_(answered, static_cast<int>(rows));
    }
  };
  report(0, static_cast<int>(rows));
  const std::size_t threads =
      std::min(rows, static_cast<std::size_t>(std::max(1, options_.max_in_flight)));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

void RemoteModel::decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
                         std::span<float> logits) {
  const std::size_t rows = caches.size();
  const std::size_t vocab = static_cast<std::size_t>(info_.vocab_size);
  std::vector<std::vector<std::int32_t>> prefixes(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    TokenListCache& list = token_list(*caches[i]);
    list.tokens.push_back(tokens[i]);
    prefixes[i] = list.tokens;
  }
  run_concurrently(rows, [&](std::size_t i) {
    write_row(fetch(prefixes[i]), logits.subspan(i * vocab, vocab));
  });
}

std::vector<TopLogprobs> RemoteModel::next_top_logprobs(
    const std::vector<std::vector<std::int32_t>>& prefixes) {
  std::vector<TopLogprobs> out(prefixes.size());
  run_concurrently(prefixes.size(), [&](std::size_t i) { out[i] = fetch(prefixes[i]); });
  return out;
}

}  // namespace beamscope::remote
