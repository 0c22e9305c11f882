// Edit › Copy Image puts the tree on the clipboard as PNG and SVG; File ›
// Open Recent lists sessions opened or saved and drops (with a message) the
// ones that are gone; a session file dropped on the window opens it. No model
// is needed: the trees are hand-built.
#include <QAction>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QGuiApplication>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>
#include <filesystem>

#include "drop_opener.h"
#include "io/session.h"
#include "main_window.h"
#include "recent_sessions_menu.h"
#include "sample_trees.h"
#include "session_controller.h"
#include "settings_store.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {

QString write_session(const QTemporaryDir& dir, const QString& name) {
  Session s;
  s.model.path = "/models/x";
  s.model.architecture = "gpt2";
  s.model.vocab_size = 50257;
  s.params.strategy = StrategyKind::Beam;
  s.params.num_beams = 2;
  s.prompt_text = "The cat sat on the";
  s.prompt_ids = {464, 3797};
  s.tree = test::beam_tree();
  const QString path = dir.filePath(name);
  save_session(s, std::filesystem::path(path.toStdString()));
  return path;
}

QAction* find_action(QWidget* root, const QString& text) {
  for (QAction* a : root->findChildren<QAction*>()) {
    if (a->text() == text) return a;
  }
  return nullptr;
}

}  // namespace

class CopyRecentDropTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("copy_recent_drop_test"));
    QSettings().clear();
  }

  void copyImagePutsPngAndSvgOnTheClipboard() {
    QTemporaryDir dir;
    MainWindow w;
    QAction* copy = find_action(&w, QStringLiteral("Copy &Image"));
    QVERIFY(copy);
    QCOMPARE(copy->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+C")));
    QGuiApplication::clipboard()->clear();
    copy->trigger();  // no tree yet: says so, copies nothing
    QVERIFY(w.lastError().contains(QStringLiteral("no tree")));
    QVERIFY(w.openSessionFrom(write_session(dir, QStringLiteral("s.json"))));
    copy->trigger();
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QVERIFY(mime->hasFormat(QStringLiteral("image/svg+xml")));
    QVERIFY(mime->data(QStringLiteral("image/svg+xml")).contains("<svg"));
    const QImage image = QImage::fromData(mime->data(QStringLiteral("image/png")), "PNG");
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 100 && image.height() > 50);
    QVERIFY(mime->hasImage());
  }

  void openRecentListsSessionsAndDropsMissingOnesWithAMessage() {
    QSettings().clear();
    QTemporaryDir dir;
    const QString a = write_session(dir, QStringLiteral("a.json"));
    const QString b = write_session(dir, QStringLiteral("b.json"));
    MainWindow w;
    QVERIFY(w.openSessionFrom(a));
    QVERIFY(w.saveSessionTo(b));
    QCOMPARE(settings::recentSessions(), (QStringList{b, a}));  // newest first

    RecentSessionsMenu* menu = w.findChild<RecentSessionsMenu*>();
    QVERIFY(menu);
    QSignalSpy notices(menu, &RecentSessionsMenu::notice);
    menu->rebuild();
    QCOMPARE(menu->actions().size(), 2);
    QVERIFY(menu->actions().front()->text().contains(QStringLiteral("b.json")));
    QCOMPARE(notices.count(), 0);

    QVERIFY(QFile::remove(b));
    menu->rebuild();
    QCOMPARE(menu->actions().size(), 1);
    QCOMPARE(notices.count(), 1);
    QVERIFY(notices.front().front().toString().contains(QStringLiteral("b.json")));
    QCOMPARE(settings::recentSessions(), QStringList{a});

    // Choosing an entry opens it.
    MainWindow other;
    RecentSessionsMenu* other_menu = other.findChild<RecentSessionsMenu*>();
    other_menu->rebuild();
    other_menu->actions().front()->trigger();
    QVERIFY(other.tree());
    QVERIFY(*other.tree() == test::beam_tree());
  }

  void droppingASessionFileOpensIt() {
    QTemporaryDir dir;
    const QString path = write_session(dir, QStringLiteral("dropped.json"));
    MainWindow w;
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(w.tree());
    QVERIFY(*w.tree() == test::beam_tree());

    // Other files are refused; a folder or .gguf would be a model.
    QMimeData text;
    text.setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("notes.txt")))});
    QCOMPARE(DropOpener::target(&text).first, QString());
    QMimeData folder;
    folder.setUrls({QUrl::fromLocalFile(dir.path())});
    QCOMPARE(DropOpener::target(&folder),
             std::make_pair(QFileInfo(dir.path()).absoluteFilePath(), false));
  }
};

QTEST_MAIN(CopyRecentDropTest)
#include "copy_recent_drop_test.moc"
