#include "session_controller.h"

#include <QDir>
#include <QFileDialog>
#include <filesystem>

#include "decoding/decode_params.h"
#include "decoding_service.h"
#include "io/session.h"
#include "settings_store.h"

namespace beamscope::ui {

SessionController::SessionController(const DecodingService* service, QWidget* parent)
    : QObject(parent), service_(service), parent_(parent) {}

bool SessionController::saveTo(const QString& path) {
  if (!current_.tree) {
    emit failed(tr("There is no tree to save yet; run the model first."));
    return false;
  }
  try {
    Session session;
    session.model = service_->model();
    session.params = current_.params;
    session.prompt_text = current_.prompt_text.toStdString();
    session.prompt_ids = current_.prompt_ids;
    session.tree = *current_.tree;
    save_session(session, std::filesystem::path(path.toStdString()));
    settings::addRecentSession(path);
    emit status(tr("Saved %1.").arg(QDir::toNativeSeparators(path)));
    return true;
  } catch (const std::exception& e) {
    emit failed(QString::fromUtf8(e.what()));
    return false;
  }
}

bool SessionController::openFrom(const QString& path) {
  try {
    Session session = load_session(std::filesystem::path(path.toStdString()));
    // The file can say anything; parameters no run could have used (say 300
    // beams) are refused rather than clamped into the controls unnoticed.
    validate_decode_params(session.params);
    DecodeOutcome outcome;
    outcome.tree = std::make_shared<const TokenTree>(std::move(session.tree));
    outcome.prompt_text = QString::fromStdString(session.prompt_text);
    outcome.prompt_ids = session.prompt_ids;
    outcome.params = session.params;
    outcome.finished = true;
    outcome.step = outcome.tree->depth();
    current_ = outcome;
    settings::addRecentSession(path);
    emit opened(outcome);
    emit status(tr("Opened %1.").arg(QDir::toNativeSeparators(path)));
    // A prompt saved from raw bytes (the CLI accepts any) cannot sit in the
    // UTF-16 prompt box as it is: the tree shows the saved run, the box U+FFFD.
    if (outcome.prompt_text.toStdString() != session.prompt_text) {
      emit notice(
          tr("The session's prompt is not valid UTF-8, so the prompt box shows \uFFFD for its "
             "invalid bytes and a new run will use the prompt as shown."));
    }
    return true;
  } catch (const std::exception& e) {
    emit failed(QString::fromUtf8(e.what()));
    return false;
  }
}

void SessionController::saveDialog() {
  const QString path = QFileDialog::getSaveFileName(parent_, tr("Save Session"), {},
                                                    tr("Beamscope session (*.json)"));
  if (!path.isEmpty()) saveTo(path);  // a failure is in the message bar
}

void SessionController::openDialog() {
  const QString path = QFileDialog::getOpenFileName(parent_, tr("Open Session"), {},
                                                    tr("Beamscope session (*.json)"));
  if (!path.isEmpty()) openFrom(path);  // a failure is in the message bar
}

}  // namespace beamscope::ui
