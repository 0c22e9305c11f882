#include "shortcuts_dialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace beamscope::ui {

namespace {

// "&Save Session…" -> "Save Session…" ("&&" stays a literal "&").
QString plain_text(QString text) {
  text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
  text.remove(QLatin1Char('&'));
  text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
  return text;
}

void collect(const QMenu& menu, const QString& path, QList<ShortcutRow>& rows) {
  for (QAction* action : menu.actions()) {
    if (QMenu* sub = action->menu()) {
      collect(*sub, path + QStringLiteral(" › ") + plain_text(sub->title()), rows);
      continue;
    }
    if (action->isSeparator() || action->shortcuts().isEmpty()) continue;
    QStringList keys;
    for (const QKeySequence& k : action->shortcuts()) {
      keys << k.toString(QKeySequence::NativeText);
    }
    rows.push_back({path, plain_text(action->text()), keys.join(QStringLiteral(", "))});
  }
}

}  // namespace

QList<ShortcutRow> collect_shortcuts(const QMenuBar& menus) {
  QList<ShortcutRow> rows;
  for (QAction* action : menus.actions()) {
    if (QMenu* menu = action->menu()) collect(*menu, plain_text(menu->title()), rows);
  }
  const QString tree = QObject::tr("Tree");
  rows.push_back({tree, QObject::tr("Walk the tree (parent, first child, siblings)"),
                  QObject::tr("Left, Right, Up, Down")});
  rows.push_back({tree, QObject::tr("What if: force this alternative and decode on"),
                  QObject::tr("Double-click")});
  rows.push_back({tree, QObject::tr("Zoom about the cursor"), QObject::tr("Wheel")});
  rows.push_back({tree, QObject::tr("Scroll"), QObject::tr("Shift+Wheel, drag")});
  return rows;
}

ShortcutsDialog::ShortcutsDialog(const QList<ShortcutRow>& rows, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Keyboard Shortcuts"));
  auto* table = new QTableWidget(static_cast<int>(rows.size()), 3, this);
  table->setObjectName(QStringLiteral("shortcuts-table"));
  table->setHorizontalHeaderLabels({tr("Menu"), tr("Command"), tr("Keys")});
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionMode(QAbstractItemView::NoSelection);
  table->setFocusPolicy(Qt::NoFocus);
  for (int r = 0; r < rows.size(); ++r) {
    table->setItem(r, 0, new QTableWidgetItem(rows[r].menu));
    table->setItem(r, 1, new QTableWidgetItem(rows[r].command));
    table->setItem(r, 2, new QTableWidgetItem(rows[r].keys));
  }
  table->resizeColumnsToContents();
  table->horizontalHeader()->setStretchLastSection(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(table);
  layout->addWidget(buttons);
  resize(620, 520);
}

}  // namespace beamscope::ui
