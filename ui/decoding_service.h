#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QThread>

#include "decoding_types.h"
#include "remote/remote_server.h"

namespace beamscope::ui {

class DecodingWorker;

// The GUI thread's handle on the DecodingWorker: owns the worker thread,
// numbers requests, makes the latest request win (older runs are told to stop
// and their late results are dropped), and coalesces live snapshots so the
// scene redraws at most once per event-loop turn however fast they come.
class DecodingService : public QObject {
  Q_OBJECT

 public:
  explicit DecodingService(QObject* parent = nullptr);
  ~DecodingService() override;  // requestInterruption(); quit(); wait();

  void loadModel(const QString& folder);
  // A model on a server; the key stays in `options` (memory only).
  void connectServer(const beamscope::remote::RemoteOptions& options, const QString& tokenizer_dir);
  void decode(const QString& prompt_text, const DecodeParams& params);
  // "What if": forces `token_id` under `node` of `tree` and decodes on. The
  // branch continues from `prompt_ids`, the ids the tree was built from;
  // `prompt_text` only labels the outcome.
  void force(const TreeSnapshot& tree, const std::vector<std::int32_t>& prompt_ids,
             const QString& prompt_text, int node, std::int32_t token_id,
             const DecodeParams& params);
  // Stops whatever runs now (its partial tree still arrives, marked cancelled).
  void cancel();

  bool isBusy() const { return busy_; }
  bool hasModel() const { return has_model_; }
  // The loaded model (its path absolute); vocab_size 0 while none is.
  const ModelInfo& model() const { return model_; }
  // Counts over the whole session, for tests and the status bar.
  int totalModelCalls() const { return total_model_calls_; }
  // The last step the running (or last) decode completed; thread-safe read.
  int completedStep() const;

 signals:
  void modelProgress(double fraction, const QString& what);
  void modelLoaded(const beamscope::ModelInfo& info, qint64 load_ms);
  void modelFailed(const QString& message);
  void treeProgress(const beamscope::ui::DecodeOutcome& partial);
  void decodeFinished(const beamscope::ui::DecodeOutcome& outcome);
  void decodeFailed(const QString& message);
  void busyChanged(bool busy);
  // The running decode's model is a server: `answered` of the `asked`
  // requests of step `step` are back (per answer, at most a few per step).
  void requestProgress(int step, int answered, int asked);

 private:
  quint64 nextRequest();
  quint64 beginModelRequest();
  void updateBusy();
  void flushPartial();

  QThread thread_;
  DecodingWorker* worker_ = nullptr;  // lives on thread_, deleted on its finish
  quint64 next_id_ = 0;
  quint64 latest_decode_ = 0;
  quint64 latest_model_ = 0;
  bool busy_ = false;
  bool decode_pending_ = false;
  bool model_pending_ = false;
  bool has_model_ = false;
  bool partial_pending_ = false;
  DecodeOutcome partial_;
  // Pacing of live snapshots: drawing one (scene rebuild) runs on the GUI
  // thread, so the next waits at least as long as the last took to draw,
  // leaving the event loop free at least half of the time however big the
  // tree grows.
  QElapsedTimer since_flush_;
  qint64 last_draw_ms_ = 0;
  ModelInfo model_;
  int total_model_calls_ = 0;
};

}  // namespace beamscope::ui
