#include "recent_sessions_menu.h"

#include <QDir>
#include <QFileInfo>

#include "session_controller.h"
#include "settings_store.h"

namespace beamscope::ui {

RecentSessionsMenu::RecentSessionsMenu(SessionController* session, QWidget* parent)
    : QMenu(tr("Open Recen&t"), parent), session_(session) {
  connect(this, &QMenu::aboutToShow, this, &RecentSessionsMenu::rebuild);
}

void RecentSessionsMenu::rebuild() {
  clear();
  QStringList gone;
  int n = 0;
  for (const QString& path : settings::recentSessions()) {
    if (!QFileInfo(path).isFile()) {
      gone << QDir::toNativeSeparators(path);
      settings::removeRecentSession(path);
      continue;
    }
    ++n;
    // &1 … &8: the number is the keyboard accelerator.
    QAction* a = addAction(QStringLiteral("&%1  %2").arg(n).arg(QFileInfo(path).fileName()));
    a->setToolTip(QDir::toNativeSeparators(path));
    a->setStatusTip(QDir::toNativeSeparators(path));
    a->setData(path);
    connect(a, &QAction::triggered, this, [this, path] { openEntry(path); });
  }
  if (n == 0) addAction(tr("No recent sessions"))->setEnabled(false);
  setToolTipsVisible(true);
  if (!gone.isEmpty()) {
    emit notice(tr("Removed from Open Recent (the file no longer exists): %1")
                    .arg(gone.join(QStringLiteral(", "))));
  }
}

void RecentSessionsMenu::openEntry(const QString& path) {
  if (!QFileInfo(path).isFile()) {  // went away while the menu was open
    settings::removeRecentSession(path);
    emit notice(tr("Removed from Open Recent (the file no longer exists): %1")
                    .arg(QDir::toNativeSeparators(path)));
    rebuild();
    return;
  }
  session_->openFrom(path);  // a failure is in the message bar
}

}  // namespace beamscope::ui
