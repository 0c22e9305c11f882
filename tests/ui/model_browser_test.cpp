// File › Models on This Computer on a home folder laid out here (a Hub cache
// with the bundled model, an LM Studio GGUF file, an added folder with a
// model Beamscope cannot open): the groups and rows, the search box, Open
// asking for the model's path, and rows that cannot open greyed with the
// reason as tooltip. The scan runs off the GUI thread.
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "model/model_folder.h"
#include "model_browser.h"
#include "settings_store.h"

using namespace beamscope;
using namespace beamscope::ui;
namespace fs = std::filesystem;

class ModelBrowserTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("model_browser_test"));
    QSettings().clear();
    QVERIFY(home_.isValid());
    const fs::path home = home_.path().toStdString();
    const fs::path snapshot = home / ".cache/huggingface/hub/models--org--tiny/snapshots/abc";
    fs::create_directories(snapshot);
    fs::copy(bundled_model_dir(), snapshot, fs::copy_options::recursive);
    snapshot_ = QString::fromStdString(snapshot.string());
    const fs::path gguf = home / ".lmstudio/models/pub/repo/tiny-Q4_K_M.gguf";
    fs::create_directories(gguf.parent_path());
    std::ofstream(gguf) << "GGUF";
    const fs::path mine = home / "mine/bert";
    fs::create_directories(mine);
    std::ofstream(mine / "config.json") << R"({"model_type": "bert"})";
    for (const char* name : {"HF_HOME", "HF_HUB_CACHE", "OLLAMA_MODELS", "LLAMA_CACHE"}) {
      qunsetenv(name);
    }
    qputenv("HOME", home_.path().toUtf8());
    settings::addModelFolder(QString::fromStdString((home / "mine").string()));
  }
  void cleanupTestCase() { QSettings().clear(); }

  void listsGroupsAndOpens() {
    ModelBrowser browser(nullptr);
    QSignalSpy finished(&browser, &ModelBrowser::scanFinished);
    QVERIFY(finished.wait(10000));
    QTreeWidget* tree = browser.tree();
    QCOMPARE(tree->topLevelItemCount(), 3);
    QTreeWidgetItem* hub = tree->topLevelItem(0);
    QCOMPARE(hub->text(0), QStringLiteral("Hugging Face cache"));
    QCOMPARE(hub->childCount(), 1);
    QTreeWidgetItem* tiny = hub->child(0);
    QCOMPARE(tiny->text(0), QStringLiteral("org/tiny"));
    QCOMPARE(tiny->text(1), QStringLiteral("gpt2"));
    QCOMPARE(tiny->text(2), QStringLiteral("4M"));
    QVERIFY(!tiny->isDisabled());
    QTreeWidgetItem* bert = tree->topLevelItem(2)->child(0);
    QVERIFY(bert->isDisabled());
    QVERIFY(bert->toolTip(0).contains(QStringLiteral("'bert'")));

    // BEAMSCOPE_SCREENSHOT_DIR=DIR keeps a picture of the dialog to look at.
    if (const QByteArray dir = qgetenv("BEAMSCOPE_SCREENSHOT_DIR"); !dir.isEmpty()) {
      browser.resize(820, 360);
      browser.grab().save(QString::fromUtf8(dir) + QStringLiteral("/model-browser.png"));
    }
    browser.search()->setText(QStringLiteral("q4_k"));
    QVERIFY(hub->isHidden());
    QVERIFY(!tree->topLevelItem(1)->isHidden());  // LM Studio's file matches
    browser.search()->clear();
    QVERIFY(!hub->isHidden());

    QSignalSpy chosen(&browser, &ModelBrowser::modelChosen);
    tree->setCurrentItem(tiny);
    tiny->setSelected(true);
    emit tree->itemActivated(tiny, 0);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.at(0).at(0).toString(), snapshot_);
  }

  void closingDuringAScanIsSafe() {
    for (int i = 0; i < 5; ++i) {
      auto* browser = new ModelBrowser(nullptr);
      delete browser;  // the scan thread is joined; its result finds no dialog
    }
    QTest::qWait(50);
  }

 private:
  QTemporaryDir home_;
  QString snapshot_;
};

QTEST_MAIN(ModelBrowserTest)
#include "model_browser_test.moc"
