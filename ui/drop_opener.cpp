#include "drop_opener.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>
#include <QWidget>

namespace beamscope::ui {

DropOpener::DropOpener(Open open_session, Open open_model, QObject* parent)
    : QObject(parent), open_session_(std::move(open_session)), open_model_(std::move(open_model)) {}

void DropOpener::watch(QWidget* widget) {
  widget->setAcceptDrops(true);
  widget->installEventFilter(this);
}

std::pair<QString, bool> DropOpener::target(const QMimeData* mime) {
  if (!mime || !mime->hasUrls()) return {};
  // The first thing in the drop that Beamscope opens (a drag of several
  // files opens one: a window shows one session and one model).
  for (const QUrl& url : mime->urls()) {
    if (!url.isLocalFile()) continue;
    const QFileInfo info(url.toLocalFile());
    const QString suffix = info.suffix().toLower();
    if (info.isFile() && suffix == QLatin1String("json")) return {info.absoluteFilePath(), true};
    if (info.isDir() || (info.isFile() && suffix == QLatin1String("gguf"))) {
      return {info.absoluteFilePath(), false};
    }
  }
  return {};
}

bool DropOpener::drop(const QMimeData* mime) {
  const auto [path, session] = target(mime);
  if (path.isEmpty()) return false;
  (session ? open_session_ : open_model_)(path);
  return true;
}

bool DropOpener::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove: {
      auto* drag = static_cast<QDragMoveEvent*>(event);
      if (target(drag->mimeData()).first.isEmpty()) return false;
      drag->acceptProposedAction();
      return true;
    }
    case QEvent::Drop: {
      auto* dropped = static_cast<QDropEvent*>(event);
      if (!drop(dropped->mimeData())) return false;
      dropped->acceptProposedAction();
      return true;
    }
    default:
      return QObject::eventFilter(watched, event);
  }
}

}  // namespace beamscope::ui
