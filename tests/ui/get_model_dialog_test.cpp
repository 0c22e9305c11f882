// File › Get Model… against the Hub stand-in on 127.0.0.1
// (tests/data/net/hub_test_server.py): the teaching list fills the name, a
// download runs on its own thread and names what to load, a refusal is one
// sentence in the dialog, and Cancel stops it.
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "common/local_http_server.h"
#include "common/require_reference_qt.h"
#include "common/tiny_model_folder.h"
#include "get_model_dialog.h"
#include "hub/teaching_models.h"
#include "model/model_folder.h"

using namespace beamscope;
using namespace beamscope::ui;
namespace fs = std::filesystem;

namespace {
constexpr int kTimeoutMs = 120000;  // a shared, busy 2-core machine
}

class GetModelDialogTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const fs::path source = fs::path(dir_.path().toStdString()) / "source";
    beamscope::test::write_model_folder(
        source, beamscope::test::tiny_config(),
        beamscope::test::tiny_tensors(beamscope::test::tiny_config()));
    server_ = std::make_unique<beamscope::test::LocalHttpServer>(
        BEAMSCOPE_TEST_DATA_DIR "/net/hub_test_server.py",
        std::vector<std::string>{"--repo=test-org/tiny=" + source.string()});
  }

  void theTeachingListFillsTheName() {
    GetModelDialog dialog;
    auto* list = dialog.findChild<QListWidget*>();
    QVERIFY(list);
    QCOMPARE(list->count(), static_cast<int>(hub::teaching_models().size()));
    QVERIFY(list->item(0)->text().contains(QStringLiteral("MB")));
    list->setCurrentRow(2);
    QCOMPARE(dialog.repoEdit()->text(), QString::fromStdString(hub::teaching_models()[2].repo_id));
  }

  void downloadsOnItsThreadAndNamesTheModel() {
    if (!server_->ok()) BEAMSCOPE_REFERENCE_MISSING_QT("python3 could not start the Hub stand-in");
    GetModelDialog dialog;
    dialog.setHubSettings(settings("cache1"));
    QSignalSpy downloaded(&dialog, &GetModelDialog::modelDownloaded);
    QSignalSpy finished(&dialog, &GetModelDialog::downloadFinished);
    dialog.repoEdit()->setText(QStringLiteral("test-org/tiny"));
    dialog.startDownload();
    QVERIFY(dialog.isDownloading());
    QVERIFY(!dialog.repoEdit()->isEnabled());
    QVERIFY2(finished.wait(kTimeoutMs), "the download did not finish");
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(downloaded.size(), 1);
    const QString model = downloaded.first().at(0).toString();
    QVERIFY2(model.contains(QStringLiteral("models--test-org--tiny/snapshots/")),
             qPrintable(model));
    const LoadedModel loaded = load_model(model.toStdString());
    QCOMPARE(loaded.info.vocab_size, beamscope::test::kVocab);
    QVERIFY(dialog.repoEdit()->isEnabled());
  }

  void aRefusalIsOneSentence() {
    if (!server_->ok()) BEAMSCOPE_REFERENCE_MISSING_QT("python3 could not start the Hub stand-in");
    GetModelDialog dialog;
    dialog.setHubSettings(settings("cache2"));
    QSignalSpy finished(&dialog, &GetModelDialog::downloadFinished);
    dialog.repoEdit()->setText(QStringLiteral("test-org/none"));
    dialog.startDownload();
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QCOMPARE(dialog.statusLabel()->text(),
             QStringLiteral("The Hub has no test-org/none at main (HTTP 404); check the name."));
  }

  void cancelStopsIt() {
    if (!server_->ok()) BEAMSCOPE_REFERENCE_MISSING_QT("python3 could not start the Hub stand-in");
    GetModelDialog dialog;
    dialog.setHubSettings(settings("cache3"));
    QSignalSpy downloaded(&dialog, &GetModelDialog::modelDownloaded);
    QSignalSpy finished(&dialog, &GetModelDialog::downloadFinished);
    dialog.repoEdit()->setText(QStringLiteral("test-org/tiny"));
    dialog.startDownload();
    dialog.cancelDownload();  // before the first file: the listing is still on its way
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("cancelled")));
    QCOMPARE(downloaded.size(), 0);
  }

 private:
  hub::HubSettings settings(const char* cache) {
    hub::HubSettings s;
    s.endpoint = server_->url();
    s.cache = fs::path(dir_.path().toStdString()) / cache;
    return s;
  }

  QTemporaryDir dir_;
  std::unique_ptr<beamscope::test::LocalHttpServer> server_;
};

QTEST_MAIN(GetModelDialogTest)
#include "get_model_dialog_test.moc"
