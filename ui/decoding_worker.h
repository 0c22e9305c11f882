#pragma once

#include <QObject>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "decoding/decoder.h"
#include "decoding_types.h"

namespace beamscope {
struct LoadedModel;
class LogitsCache;
namespace remote {
struct RemoteOptions;
class RemoteModel;
}  // namespace remote
}  // namespace beamscope

namespace beamscope::ui {

// Lives on its own QThread and owns everything that touches the model: the
// loaded model, its logits cache and the decoder. All entry points are called
// queued from the GUI thread; results go back as queued signals carrying
// immutable snapshots. Every request has an id; `supersede()` (thread-safe)
// makes a running request stop at its next step so the latest one wins.
class DecodingWorker : public QObject {
  Q_OBJECT

 public:
  explicit DecodingWorker(QObject* parent = nullptr);
  ~DecodingWorker() override;

  // Any thread: decode (or model-load) requests older than `id` give up at
  // their next step. Kept apart so that pressing Run while the model loads
  // queues the run instead of cancelling the load.
  // A remote model's requests in flight stop too (within the step).
  void supersedeDecode(quint64 id);
  void supersedeModel(quint64 id) { latest_model_.store(id); }
  // Any thread: the last step the running decode has completed (0 before its
  // first). Set before the step asks whether it is still wanted, so a reader
  // that cancels and then reads `s` knows the run stops by step s + 1.
  int completedStep() const { return completed_step_.load(); }

  // Worker thread (invoke queued).
  void loadModel(quint64 request, const QString& folder);
  // A model on a server (File › Connect to Server…), with the served
  // model's tokenizer folder; the key stays in `options`, in memory.
  void connectServer(quint64 request, const beamscope::remote::RemoteOptions& options,
                     const QString& tokenizer_dir);
  void decode(quint64 request, const QString& prompt_text, const DecodeParams& params);
  // "What if" on `tree`, built from `prompt_ids`: the branch continues from
  // those very ids (re-tokenizing `prompt_text` could give others);
  // `prompt_text` only labels the outcome.
  void force(quint64 request, const TreeSnapshot& tree, const std::vector<std::int32_t>& prompt_ids,
             const QString& prompt_text, int node, std::int32_t token_id,
             const DecodeParams& params);

 signals:
  void modelProgress(quint64 request, double fraction, const QString& what);
  void modelLoaded(quint64 request, const beamscope::ModelInfo& info, qint64 load_ms);
  void modelFailed(quint64 request, const QString& message);
  void treeProgress(const beamscope::ui::DecodeOutcome& partial);
  void decodeFinished(const beamscope::ui::DecodeOutcome& outcome);
  void decodeFailed(quint64 request, const QString& message);
  // A remote model's step: `answered` of its `asked` requests are back.
  // Emitted from the request threads (queued to the GUI thread).
  void requestProgress(quint64 request, int step, int answered, int asked);

 private:
  bool stillWanted(const std::atomic<quint64>& latest, quint64 request) const;
  // Swaps in a fully loaded model (the old one stays on failure) and reports it.
  void install(quint64 request, std::unique_ptr<LoadedModel> loaded, std::string path,
               qint64 load_ms);
  // What decode() and force() share: the stale-request and no-model checks,
  // timing, filling the outcome from the decoder's result, and turning any
  // error into decodeFailed. The prompt is `prompt_ids` when given, else
  // `prompt_text` tokenized. `run` calls the decoder with the outcome so far
  // (prompt ids set) and the step callback to pass on.
  using RunDecoder = std::function<DecodeResult(DecodeOutcome& out, const StepFn& on_step)>;
  void runDecoding(quint64 request, const QString& prompt_text,
                   const std::optional<std::vector<std::int32_t>>& prompt_ids,
                   const DecodeParams& params, bool stream_snapshots, const RunDecoder& run);

  std::atomic<quint64> latest_decode_{0};
  std::atomic<quint64> latest_model_{0};
  std::atomic<int> completed_step_{0};
  // The decode running now, for the remote model's progress callback.
  std::atomic<quint64> running_{0};
  std::unique_ptr<LoadedModel> model_;
  std::unique_ptr<LogitsCache> cache_;
  std::unique_ptr<Decoder> decoder_;
  // The loaded model when it is remote (GUI thread reads it to cancel).
  std::atomic<remote::RemoteModel*> remote_{nullptr};
};

}  // namespace beamscope::ui
