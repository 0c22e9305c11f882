#pragma once

#include <QMenu>

namespace beamscope::ui {

class SessionController;

// File › Open Recent: the session files opened or saved lately
// (settings_store), newest first. Rebuilt each time it opens; files that no
// longer exist are dropped from the list then, and said so with `notice`.
class RecentSessionsMenu : public QMenu {
  Q_OBJECT

 public:
  RecentSessionsMenu(SessionController* session, QWidget* parent);

  // Reads the list again (done before each showing).
  void rebuild();
  // Opens one entry as a click on it would.
  void openEntry(const QString& path);

 signals:
  void notice(const QString& message);

 private:
  SessionController* session_;
};

}  // namespace beamscope::ui
