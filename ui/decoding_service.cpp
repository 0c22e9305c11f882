#include "decoding_service.h"

#include <QTimer>
#include <algorithm>

#include "decoding_worker.h"

namespace beamscope::ui {

DecodingService::DecodingService(QObject* parent) : QObject(parent) {
  qRegisterMetaType<ModelInfo>();
  qRegisterMetaType<DecodeOutcome>();
  worker_ = new DecodingWorker();
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);

  connect(worker_, &DecodingWorker::modelProgress, this,
          [this](quint64 id, double fraction, const QString& what) {
            if (id == latest_model_) emit modelProgress(fraction, what);
          });
  connect(worker_, &DecodingWorker::modelLoaded, this,
          [this](quint64 id, const ModelInfo& info, qint64 load_ms) {
            if (id != latest_model_) return;
            has_model_ = true;
            model_ = info;
            model_pending_ = false;
            updateBusy();
            emit modelLoaded(info, load_ms);
          });
  connect(worker_, &DecodingWorker::modelFailed, this, [this](quint64 id, const QString& message) {
    if (id != latest_model_) return;
    model_pending_ = false;
    // The worker swaps in only a fully loaded model: a previous one is still
    // there and usable (model_ still describes it).
    has_model_ = model_.vocab_size > 0;
    updateBusy();
    emit modelFailed(message);
  });
  connect(worker_, &DecodingWorker::treeProgress, this, [this](const DecodeOutcome& partial) {
    if (partial.request != latest_decode_) return;  // a superseded run
    partial_ = partial;
    if (!partial_pending_) {
      partial_pending_ = true;
      const qint64 idle = since_flush_.isValid() ? since_flush_.elapsed() : last_draw_ms_;
      const int wait = static_cast<int>(std::max<qint64>(0, last_draw_ms_ - idle));
      QTimer::singleShot(wait, this, &DecodingService::flushPartial);
    }
  });
  connect(worker_, &DecodingWorker::decodeFinished, this, [this](const DecodeOutcome& outcome) {
    total_model_calls_ += outcome.model_calls;
    if (outcome.request != latest_decode_) return;
    partial_pending_ = false;  // the final tree replaces any pending snapshot
    decode_pending_ = false;
    updateBusy();
    emit decodeFinished(outcome);
  });
  connect(worker_, &DecodingWorker::decodeFailed, this, [this](quint64 id, const QString& message) {
    if (id != latest_decode_) return;
    partial_pending_ = false;
    decode_pending_ = false;
    updateBusy();
    emit decodeFailed(message);
  });
  connect(worker_, &DecodingWorker::requestProgress, this,
          [this](quint64 id, int step, int answered, int asked) {
            if (id == latest_decode_ && decode_pending_)
              emit requestProgress(step, answered, asked);
          });
  thread_.setObjectName(QStringLiteral("beamscope-decoder"));
  thread_.start();
}

DecodingService::~DecodingService() {
  // Every running step or progress callback now says stop.
  worker_->supersedeDecode(~quint64{0});
  worker_->supersedeModel(~quint64{0});
  thread_.requestInterruption();
  thread_.quit();
  thread_.wait();
}

quint64 DecodingService::nextRequest() { return ++next_id_; }

int DecodingService::completedStep() const { return worker_->completedStep(); }

void DecodingService::updateBusy() {
  const bool busy = decode_pending_ || model_pending_;
  if (busy_ == busy) return;
  busy_ = busy;
  emit busyChanged(busy);
}

void DecodingService::flushPartial() {
  if (!partial_pending_) return;
  partial_pending_ = false;
  if (partial_.request != latest_decode_ || !busy_) return;
  QElapsedTimer draw;
  draw.start();
  emit treeProgress(partial_);  // direct connections: the window draws it now
  last_draw_ms_ = draw.elapsed();
  since_flush_.start();
}

quint64 DecodingService::beginModelRequest() {
  // A model (folder or server) replaces the one loaded or loading: requests
  // for the old one are superseded and the controls wait for the new one.
  const quint64 id = nextRequest();
  latest_model_ = id;
  worker_->supersedeModel(id);
  has_model_ = false;
  model_pending_ = true;
  updateBusy();
  return id;
}

void DecodingService::loadModel(const QString& folder) {
  const quint64 id = beginModelRequest();
  DecodingWorker* w = worker_;
  QMetaObject::invokeMethod(
      w, [w, id, folder] { w->loadModel(id, folder); }, Qt::QueuedConnection);
}

void DecodingService::connectServer(const remote::RemoteOptions& options,
                                    const QString& tokenizer_dir) {
  const quint64 id = beginModelRequest();
  DecodingWorker* w = worker_;
  QMetaObject::invokeMethod(
      w, [w, id, options, tokenizer_dir] { w->connectServer(id, options, tokenizer_dir); },
      Qt::QueuedConnection);
}

void DecodingService::decode(const QString& prompt_text, const DecodeParams& params) {
  const quint64 id = nextRequest();
  latest_decode_ = id;
  worker_->supersedeDecode(id);
  decode_pending_ = true;
  updateBusy();
  DecodingWorker* w = worker_;
  QMetaObject::invokeMethod(
      w, [w, id, prompt_text, params] { w->decode(id, prompt_text, params); },
      Qt::QueuedConnection);
}

void DecodingService::force(const TreeSnapshot& tree, const std::vector<std::int32_t>& prompt_ids,
                            const QString& prompt_text, int node, std::int32_t token_id,
                            const DecodeParams& params) {
  const quint64 id = nextRequest();
  latest_decode_ = id;
  worker_->supersedeDecode(id);
  decode_pending_ = true;
  updateBusy();
  DecodingWorker* w = worker_;
  QMetaObject::invokeMethod(
      w,
      [w, id, tree, prompt_ids, prompt_text, node, token_id, params] {
        w->force(id, tree, prompt_ids, prompt_text, node, token_id, params);
      },
      Qt::QueuedConnection);
}

void DecodingService::cancel() {
  // An id that nothing runs under yet: the current run sees it and stops;
  // its cancelled partial result is still delivered (it is the latest decode).
  // A model load in progress stops too (its failure says it was cancelled).
  worker_->supersedeDecode(next_id_ + 1);
  worker_->supersedeModel(next_id_ + 1);
}

}  // namespace beamscope::ui
