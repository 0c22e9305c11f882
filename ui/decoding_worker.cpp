#include "decoding_worker.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>

#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "model/model_folder.h"
#include "remote/remote_loader.h"
#include "remote/remote_model.h"
#include "util/error.h"

namespace beamscope::ui {

namespace {
// Live snapshots are copies of the whole tree; at most this often is plenty
// for the eye and keeps a fast model from flooding the GUI thread.
constexpr qint64 kSnapshotIntervalMs = 25;

QString message_of(const std::exception& e) { return QString::fromUtf8(e.what()); }
}  // namespace

DecodingWorker::DecodingWorker(QObject* parent) : QObject(parent) {}

DecodingWorker::~DecodingWorker() = default;

bool DecodingWorker::stillWanted(const std::atomic<quint64>& latest, quint64 request) const {
  return latest.load() <= request && !QThread::currentThread()->isInterruptionRequested();
}

void DecodingWorker::loadModel(quint64 request, const QString& folder) {
  if (!stillWanted(latest_model_, request)) {
    emit modelFailed(request, QString::fromUtf8(Cancelled().what()));
    return;
  }
  QElapsedTimer timer;
  timer.start();
  try {
    auto progress = [&](double fraction, std::string_view what) {
      emit modelProgress(request, fraction, QString::fromUtf8(what.data(), qsizetype(what.size())));
      return stillWanted(latest_model_, request);
    };
    auto loaded = std::make_unique<LoadedModel>(
        load_model(std::filesystem::path(folder.toStdString()), progress));
    // Absolute, so the GUI compares it with what the picker lists.
    install(request, std::move(loaded), QFileInfo(folder).absoluteFilePath().toStdString(),
            timer.elapsed());
  } catch (const std::exception& e) {
    emit modelFailed(request, message_of(e));
  }
}

void DecodingWorker::install(quint64 request, std::unique_ptr<LoadedModel> loaded, std::string path,
                             qint64 load_ms) {
  decoder_.reset();
  remote_ = nullptr;
  model_ = std::move(loaded);
  cache_ = std::make_unique<LogitsCache>();
  decoder_ =
      std::make_unique<Decoder>(*model_->model, *model_->tokenizer, model_->info.eos_ids, *cache_);
  remote_ = dynamic_cast<remote::RemoteModel*>(model_->model.get());
  // A step on a server waits on its requests (seconds on a slow one): each
  // answer is worth a word in the status bar. The model lives as long as
  // this worker holds it, and the callback goes with it.
  if (remote::RemoteModel* r = remote_.load()) {
    r->set_progress([this](int answered, int asked) {
      emit requestProgress(running_.load(), completed_step_.load() + 1, answered, asked);
    });
  }
  ModelInfo info = model_->info;
  info.path = std::move(path);
  // A server's tokenizer may come from a folder, the HF cache or the server
  // itself: the model label's tooltip (the files read) says which.
  if (remote::RemoteModel* r = remote_.load())
    info.files.push_back("tokenizer: " + r->tokenizer_source());
  emit modelLoaded(request, info, load_ms);
}

void DecodingWorker::supersedeDecode(quint64 id) {
  latest_decode_.store(id);
  if (remote::RemoteModel* r = remote_.load()) r->cancel();
}

void DecodingWorker::connectServer(quint64 request, const remote::RemoteOptions& options,
                                   const QString& tokenizer_dir) {
  QElapsedTimer timer;
  timer.start();
  try {
    emit modelProgress(request, 0.1,
                       tr("Connecting to %1").arg(QString::fromStdString(options.url)));
    auto loaded = std::make_unique<LoadedModel>(
        remote::open_remote_model(options, tokenizer_dir.toStdString()));
    if (!stillWanted(latest_model_, request)) throw Cancelled();
    const std::string path = loaded->info.path;
    install(request, std::move(loaded), path, timer.elapsed());
  } catch (const std::exception& e) {
    emit modelFailed(request, message_of(e));
  }
}

void DecodingWorker::decode(quint64 request, const QString& prompt_text,
                            const DecodeParams& params) {
  runDecoding(request, prompt_text, std::nullopt, params, /*stream_snapshots=*/true,
              [&](DecodeOutcome& out, const StepFn& on_step) {
                return decoder_->run(out.prompt_ids, params, on_step);
              });
}

void DecodingWorker::force(quint64 request, const TreeSnapshot& tree,
                           const std::vector<std::int32_t>& prompt_ids, const QString& prompt_text,
                           int node, std::int32_t token_id, const DecodeParams& params) {
  if (!tree) {
    emit decodeFailed(request, tr("There is no tree to branch from yet."));
    return;
  }
  runDecoding(request, prompt_text, prompt_ids, params, /*stream_snapshots=*/false,
              [&](DecodeOutcome& out, const StepFn& on_step) {
                return decoder_->force(*tree, out.prompt_ids, node, token_id, params, on_step);
              });
}

void DecodingWorker::runDecoding(quint64 request, const QString& prompt_text,
                                 const std::optional<std::vector<std::int32_t>>& prompt_ids,
                                 const DecodeParams& params, bool stream_snapshots,
                                 const RunDecoder& run) {
  if (!stillWanted(latest_decode_, request)) {  // a newer request is queued behind us
    emit decodeFailed(request, QString::fromUtf8(Cancelled().what()));
    return;
  }
  if (!decoder_) {
    emit decodeFailed(request, tr("No model is loaded yet."));
    return;
  }
  // This request is the latest: a cancel meant for an older one is spent.
  if (remote::RemoteModel* r = remote_.load()) r->reset_cancel();
  QElapsedTimer timer;
  timer.start();
  try {
    DecodeOutcome out;
    out.request = request;
    out.prompt_text = prompt_text;
    out.params = params;
    out.prompt_ids =
        prompt_ids ? *prompt_ids : model_->tokenizer->encode(prompt_text.toStdString());
    qint64 last_emit = -kSnapshotIntervalMs;
    completed_step_.store(0);
    running_.store(request);
    auto on_step = [&](const TokenTree& tree, int step) {
      completed_step_.store(step);
      if (stream_snapshots && timer.elapsed() - last_emit >= kSnapshotIntervalMs) {
        last_emit = timer.elapsed();
        DecodeOutcome partial = out;
        partial.tree = std::make_shared<const TokenTree>(tree);
        partial.step = step;
        partial.elapsed_ms = timer.elapsed();
        emit treeProgress(partial);
      }
      return stillWanted(latest_decode_, request);
    };
    DecodeResult result = run(out, on_step);
    out.tree = std::make_shared<const TokenTree>(std::move(result.tree));
    out.finished = true;
    out.cancelled = result.cancelled;
    out.capped = result.capped;
    out.model_calls = result.model_calls;
    out.elapsed_ms = timer.elapsed();
    out.step = out.tree->depth();
    emit decodeFinished(out);
  } catch (const std::exception& e) {
    emit decodeFailed(request, message_of(e));
  }
}

}  // namespace beamscope::ui
