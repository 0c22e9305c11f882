// The worker thread behind the window: live snapshots arrive before the final
// tree and only grow; Cancel stops a long run early with a partial tree; a
// run without a model fails cleanly; the GUI thread is never blocked.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "common/require_reference_qt.h"
#include "common/tiny_model_folder.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "decoding_service.h"
#include "model/model_folder.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
constexpr int kTimeoutMs = 120000;
bool bundled_model_present() {
  std::error_code ec;
  return std::filesystem::is_regular_file(bundled_model_dir() / "model.safetensors", ec);
}
}  // namespace

class DecodingServiceTest : public QObject {
  Q_OBJECT

 private slots:
  void runWithoutModelFails() {
    DecodingService service;
    QSignalSpy failed(&service, &DecodingService::decodeFailed);
    service.decode(QStringLiteral("x"), DecodeParams{});
    QVERIFY(failed.wait(kTimeoutMs));
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("model")));
    QVERIFY(!service.isBusy());
  }

  void liveSnapshotsThenCancel() {
    if (!bundled_model_present())
      BEAMSCOPE_REFERENCE_MISSING_QT(
          "the bundled model is not built yet (resources/models/beamscope-mini)");
    DecodingService service;
    QSignalSpy loaded(&service, &DecodingService::modelLoaded);
    service.loadModel(QString::fromStdString(bundled_model_dir().string()));
    QVERIFY(loaded.wait(kTimeoutMs));

    // A long beam search: snapshots stream in, growing.
    DecodeParams params;
    params.strategy = StrategyKind::Beam;
    params.num_beams = 8;
    params.num_return_sequences = 1;
    params.max_new_tokens = 48;
    params.early_stopping = EarlyStopping::Never;
    std::vector<int> sizes;
    bool cancelled_once = false;
    connect(&service, &DecodingService::treeProgress, this, [&](const DecodeOutcome& partial) {
      QVERIFY(!partial.finished);
      sizes.push_back(partial.tree->size());
      if (sizes.size() == 2 && !cancelled_once) {
        cancelled_once = true;
        service.cancel();
      }
    });
    QSignalSpy finished(&service, &DecodingService::decodeFinished);
    service.decode(QStringLiteral("Once upon a time"), params);
    // decode() only queues the work: it returns busy, before any snapshot
    // could reach this thread (that needs the event loop to run).
    QVERIFY(service.isBusy());
    QVERIFY(sizes.empty());
    QCOMPARE(finished.count(), 0);
    QVERIFY(finished.wait(kTimeoutMs));
    const auto outcome = finished.at(0).at(0).value<DecodeOutcome>();
    QVERIFY(outcome.finished);
    QVERIFY(!service.isBusy());
    QVERIFY2(sizes.size() >= 2, "expected live snapshots before the end");
    QVERIFY(std::is_sorted(sizes.begin(), sizes.end()));
    QVERIFY(outcome.cancelled);
    QVERIFY(outcome.step < params.max_new_tokens);
    QVERIFY(outcome.tree->size() >= sizes.back());
  }

  // "What if" continues from the ids the tree was built from, not from its
  // prompt text tokenized again: here the tree was built from "h" "e" as two
  // byte tokens, which the tiny vocabulary would tokenize as the merged "he".
  void whatIfUsesTheTreesPromptIds() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path folder = dir.path().toStdString();
    test::write_model_folder(folder, test::tiny_config(), test::tiny_tensors(test::tiny_config()));
    const LoadedModel model = load_model_folder(folder);
    const std::vector<std::int32_t> prompt_ids = {'h', 'e'};
    const QString prompt_text = QStringLiteral("he");
    QVERIFY(model.tokenizer->encode("he") != prompt_ids);

    DecodeParams params;
    params.strategy = StrategyKind::Greedy;
    params.max_new_tokens = 4;
    LogitsCache cache;
    Decoder decoder(*model.model, *model.tokenizer, model.info.eos_ids, cache);
    const auto tree = std::make_shared<const TokenTree>(decoder.run(prompt_ids, params).tree);
    int alt = -1;
    for (const TreeNode& n : tree->nodes()) {
      if (n.parent == 0 && n.status == NodeStatus::Alternative) alt = n.id;
    }
    QVERIFY(alt > 0);
    const DecodeResult direct =
        decoder.force(*tree, prompt_ids, 0, tree->node(alt).token_id, params);

    DecodingService service;
    QSignalSpy loaded(&service, &DecodingService::modelLoaded);
    service.loadModel(dir.path());
    QVERIFY(loaded.wait(kTimeoutMs));
    QSignalSpy finished(&service, &DecodingService::decodeFinished);
    service.force(tree, prompt_ids, prompt_text, 0, tree->node(alt).token_id, params);
    QVERIFY(finished.wait(kTimeoutMs));
    const auto outcome = finished.at(0).at(0).value<DecodeOutcome>();
    QVERIFY(outcome.prompt_ids == prompt_ids);
    QCOMPARE(outcome.prompt_text, prompt_text);
    QVERIFY(*outcome.tree == direct.tree);
  }
};

QTEST_MAIN(DecodingServiceTest)
#include "decoding_service_test.moc"
