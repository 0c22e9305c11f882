#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "model/language_model.h"
#include "remote/completion_protocol.h"
#include "remote/remote_server.h"

namespace beamscope::remote {

// A model served elsewhere, as a LanguageModel: its "KV cache" is the token
// ids fed so far (the server keeps its own caches), and each prefill or
// decode row is one request for the next token's top N log-probs, written
// as [vocab] log-probs with -inf for the unlisted tokens (ModelInfo::
// top_logprobs = N; see core/decoding/README.md "Top-N"). The rows of one
// decode (beams, samples of a step) go out concurrently, at most
// max_in_flight at a time, so the server batches them. The decoder's
// LogitsCache keeps every answer, so a parameter change replays from it.
//
// prefill/decode run on the decoder's thread; cancel() may be called from any
// thread and stops the step's requests (they throw beamscope::Cancelled).
class RemoteModel final : public LanguageModel {
 public:
  // `vocab_size`: rows of the log-prob vector (the tokenizer's, or the
  // server's when it reports more).
  RemoteModel(RemoteOptions options, ServerInfo server, int vocab_size);

  const ModelInfo& info() const override { return info_; }
  std::unique_ptr<KvCache> new_cache() const override;
  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override;
  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override;

  void cancel() { cancel_ = true; }
  void reset_cancel() { cancel_ = false; }
  // Requests answered / asked in the current step: (0, asked) as the step's
  // requests go out, then once per answer, from the request threads.
  void set_progress(std::function<void(int done, int total)> progress);
  int requests_sent() const { return requests_; }
  const ServerInfo& server() const { return server_; }
  const RemoteOptions& options() const { return options_; }
  // Where the tokenizer paired with this server came from, in words (a
  // folder, the Hugging Face cache, the server's own /tokenize and how its
  // vocabulary size was learned): `info` prints it, the GUI shows it.
  const std::string& tokenizer_source() const { return tokenizer_source_; }
  void set_tokenizer_source(std::string source) { tokenizer_source_ = std::move(source); }

  // The server's top N log-probs of the next token after each prefix, asked
  // as decode() asks them (concurrently, with progress and cancel): what
  // scoring falls back on where a server gives no prompt log-probs.
  std::vector<TopLogprobs> next_top_logprobs(
      const std::vector<std::vector<std::int32_t>>& prefixes);
  // One POST of `body` to the server's `path`, with the retries, key and
  // cancel of every other request; the 2xx body.
  std::string post(const std::string& path, const std::string& body);

 private:
  TopLogprobs fetch(const std::vector<std::int32_t>& prefix);
  void write_row(const TopLogprobs& top, std::span<float> out) const;
  // Runs job(i) for i in [0, rows) on up to max_in_flight threads, reporting
  // (0, rows) first and then each answer; the first failure stops the rest
  // from starting and is rethrown.
  void run_concurrently(std::size_t rows, const std::function<void(std::size_t)>& job);
  void report(int done, int total);

  RemoteOptions options_;
  ServerInfo server_;
  ModelInfo info_;
  std::string tokenizer_source_;
  std::atomic<bool> cancel_{false};
  std::atomic<int> requests_{0};
  std::mutex progress_mutex_;
  std::function<void(int, int)> progress_;
};

}  // namespace beamscope::remote
