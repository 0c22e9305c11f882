#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "model/language_model.h"
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

 private:
  void fetch(const std::vector<std::int32_t>& prefix, std::span<float> out);
  void report(int done, int total);

  RemoteOptions options_;
  ServerInfo server_;
  ModelInfo info_;
  std::atomic<bool> cancel_{false};
  std::atomic<int> requests_{0};
  std::mutex progress_mutex_;
  std::function<void(int, int)> progress_;
};

}  // namespace beamscope::remote
