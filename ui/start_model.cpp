#include "start_model.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <memory>

#include "decoding_service.h"
#include "main_window.h"
#include "message_bar.h"
#include "model/model_folder.h"
#include "settings_store.h"

namespace beamscope::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("StartModel", text); }
QString bundled() { return QString::fromStdString(bundled_model_dir().string()); }
}  // namespace

StartModel choose_start_model(const QString& requested) {
  if (!requested.isEmpty()) return {requested, {}, false};
  const QString last = settings::lastUsedModel();
  if (last.isEmpty()) return {bundled(), {}, false};
  if (QFileInfo::exists(last)) return {last, {}, true};
  return {bundled(),
          tr("The last model used, %1, is no longer there; the bundled model opened instead.")
              .arg(QDir::toNativeSeparators(last)),
          false};
}

void open_start_model(MainWindow& window, const QString& requested) {
  const StartModel start = choose_start_model(requested);
  // Shared by the two one-shot handlers below, which end with the start.
  struct Pending {
    QString notice;
    bool open = true;
    QMetaObject::Connection ready, failed;
  };
  auto pending = std::make_shared<Pending>();
  pending->notice = start.notice;
  pending->ready = QObject::connect(&window, &MainWindow::modelReady, &window, [&window, pending] {
    if (!pending->open) return;
    pending->open = false;
    QObject::disconnect(pending->ready);
    QObject::disconnect(pending->failed);
    if (!pending->notice.isEmpty()) {
      window.messageBar()->showMessage(pending->notice, MessageBar::Kind::Notice);
    }
  });
  if (start.from_settings) {
    const QString path = start.path;
    pending->failed = QObject::connect(
        window.service(), &DecodingService::modelFailed, &window,
        [&window, pending, path](const QString& why) {
          if (!pending->open) return;
          QObject::disconnect(pending->failed);
          QString reason = why;
          if (reason.endsWith(QLatin1Char('.'))) reason.chop(1);
          pending->notice = tr("The last model used, %1, could not be opened (%2); the bundled "
                               "model opened instead.")
                                .arg(QDir::toNativeSeparators(path), reason);
          window.loadModel(bundled());
        });
  }
  window.loadModel(start.path);
}

QString model_display_name(const QString& path) {
  static const QRegularExpression snapshot(
      QStringLiteral("/models--([^/]+?)--([^/]+)/snapshots/[^/]+/?$"));
  const QRegularExpressionMatch m = snapshot.match(QDir::fromNativeSeparators(path));
  if (m.hasMatch()) return m.captured(1) + QLatin1Char('/') + m.captured(2);
  return QFileInfo(path).fileName();
}

}  // namespace beamscope::ui
