#pragma once

#include <QDialog>
#include <QList>
#include <QString>

class QMenuBar;

namespace beamscope::ui {

// One row of the shortcuts list: where the command lives, what it is called,
// and every key that triggers it ("Ctrl+Return, F5").
struct ShortcutRow {
  QString menu;
  QString command;
  QString keys;
};

// Every menu action that has a shortcut, read from the menu bar itself so the
// list cannot drift from what the keys really do, plus the tree view's own
// keys (arrows, double-click), which are not menu actions.
QList<ShortcutRow> collect_shortcuts(const QMenuBar& menus);

// Help → Keyboard Shortcuts (F1): the list above as a table.
class ShortcutsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ShortcutsDialog(const QList<ShortcutRow>& rows, QWidget* parent = nullptr);
};

}  // namespace beamscope::ui
