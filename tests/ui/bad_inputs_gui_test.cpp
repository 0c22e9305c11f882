// The bad-inputs catalogue, through the real main window (offscreen): first a
// good tree, then a broken model folder, a hostile prompt or an edge-case
// parameter. Every refusal must leave ONE clear sentence in the window's
// message bar (never a modal box), the window up and usable, and the previous
// tree on screen (the very same snapshot). Cases that are defined behaviour,
// not errors, are checked for exactly that behaviour. The folders come from
// common/tiny_model_folder.h (the CLI catalogue builds the same ones), so
// nothing here needs the bundled model.
//
// What the GUI does, case by case (pinned down by the tests below):
//   - a broken or non-model folder: the load is refused with the file named;
//     the previous model stays loaded and runs on.
//   - empty prompt: refused. A prompt longer than the context, or one that
//     with max_new_tokens needs more positions than the model has: refused,
//     naming the numbers (no silent clamping; the tree would not be what was
//     asked for).
//   - temperature 0 / top_p 0 when sampling: every sample takes the greedy path.
//   - beam width above the vocabulary: cannot be asked for. The Beam width
//     control stops at 16 and every byte-level vocabulary has at least 257
//     tokens; a session file asking for more than 256 beams is refused.
//   - non-UTF-8: the prompt box holds UTF-16 text, so invalid bytes cannot be
//     typed. Half a surrogate pair (a broken paste) has no UTF-8 form: the run
//     is refused, naming the position. A session whose prompt bytes are not
//     UTF-8 opens with its tree intact (the tree is the record) and a notice
//     that the prompt box shows U+FFFD for the invalid bytes.
//   - a tree at its node cap: the run stops, the tree so far is shown and the
//     message bar says "The tree reached its cap of N nodes; decoding stopped."
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>

#include "common/tiny_model_folder.h"
#include "controls_panel.h"
#include "decoding/decoder.h"
#include "decoding_service.h"
#include "io/session.h"
#include "main_window.h"
#include "message_bar.h"
#include "slider_spin.h"

using namespace beamscope;
using namespace beamscope::ui;
namespace fs = std::filesystem;

namespace {
constexpr int kTimeoutMs = 120000;  // a shared, busy 2-core machine

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

// One sentence: one line, a full stop at the end, no escaped exception text,
// and every keyword in it.
void checkSentence(const QString& text, const QStringList& keywords) {
  QVERIFY2(!text.isEmpty(), "no message shown");
  QVERIFY2(!text.contains(QLatin1Char('\n')), qPrintable(text));
  QVERIFY2(text.endsWith(QLatin1Char('.')), qPrintable(text));
  QVERIFY2(text.size() < 400, qPrintable(text));
  for (const char* noise : {"Internal error", "[json.exception", "what()", "std::"}) {
    QVERIFY2(!text.contains(QLatin1String(noise)), qPrintable(text));
  }
  for (const QString& k : keywords) {
    QVERIFY2(text.contains(k), qPrintable(QStringLiteral("'%1' missing in: %2").arg(k, text)));
  }
}
}  // namespace

class BadInputsGuiTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  fs::path root_;
  std::unique_ptr<MainWindow> window_;
  TreeSnapshot good_tree_;

  fs::path good() const { return root_ / "good"; }
  // A copy of the good folder, changed by `mutate`.
  fs::path variant(const std::string& name, const std::function<void(const fs::path&)>& mutate) {
    const fs::path d = root_ / name;
    fs::remove_all(d);
    fs::copy(good(), d);
    mutate(d);
    return d;
  }

  MainWindow& w() { return *window_; }

  bool runAndWait() {
    QSignalSpy finished(&w(), &MainWindow::runFinished);
    QSignalSpy failed(&w(), &MainWindow::runFailed);
    w().run();
    return QTest::qWaitFor([&] { return !finished.isEmpty() || !failed.isEmpty(); }, kTimeoutMs) &&
           !finished.isEmpty();
  }

  // The window on the good tiny model with a finished beam tree on screen.
  void freshWindowWithTree() {
    window_ = std::make_unique<MainWindow>();
    w().show();
    QVERIFY(QTest::qWaitForWindowExposed(&w()));
    QSignalSpy ready(&w(), &MainWindow::modelReady);
    w().loadModel(q(good()));
    QVERIFY(ready.wait(kTimeoutMs));
    w().promptEdit()->setText(QStringLiteral("the"));
    w().controls()->setPreset(StrategyPreset::Beam);
    w().controls()->beamWidth()->setValue(2);
    w().controls()->maxNewTokens()->setValue(4);
    QVERIFY(runAndWait());
    good_tree_ = w().tree();
    QVERIFY(good_tree_ && good_tree_->size() > 1);
    QVERIFY(!w().messageBar()->hasMessage());
  }

  // The refusal is shown non-modally and nothing else changed.
  void checkRefusedKeepingTree(const QStringList& keywords) {
    QVERIFY(w().messageBar()->hasMessage());
    QCOMPARE(w().messageBar()->kind(), MessageBar::Kind::Error);
    checkSentence(w().messageBar()->text(), keywords);
    QCOMPARE(w().lastError(), w().messageBar()->text());
    QVERIFY2(QApplication::activeModalWidget() == nullptr, "a modal box blocks the window");
    QVERIFY(w().isVisible());
    QVERIFY(w().tree().get() == good_tree_.get());  // the very same snapshot
    QCOMPARE(w().tree()->size(), good_tree_->size());
  }

  // Loading `folder` is refused; the previous model stays and runs on.
  void checkLoadRefused(const fs::path& folder, const QStringList& keywords) {
    QSignalSpy failed(w().service(), &DecodingService::modelFailed);
    w().loadModel(q(folder));
    QVERIFY(failed.wait(kTimeoutMs));
    checkRefusedKeepingTree(keywords);
    QVERIFY(w().service()->hasModel());
    QCOMPARE(QString::fromStdString(w().service()->model().path),
             QFileInfo(q(good())).absoluteFilePath());
    QVERIFY(runAndWait());  // still usable: the same run gives the same tree
    QVERIFY(*w().tree() == *good_tree_);
    QVERIFY(!w().messageBar()->hasMessage());  // the good run cleared it
    good_tree_ = w().tree();
  }

  // A run with the window's current prompt and controls is refused.
  void checkRunRefused(const QStringList& keywords) {
    QSignalSpy failed(&w(), &MainWindow::runFailed);
    w().run();
    // Refused by the window itself (at once) or by the engine (queued).
    QVERIFY(!failed.isEmpty() || failed.wait(kTimeoutMs));
    checkRefusedKeepingTree(keywords);
  }

  std::vector<std::int32_t> firstSequence() const {
    const TreeSnapshot t = window_->tree();
    return t && !t->sequences.empty() ? t->sequences.front().token_ids
                                      : std::vector<std::int32_t>{};
  }

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("bad_inputs_gui_test"));
    QSettings().clear();
    QVERIFY(dir_.isValid());
    root_ = fs::path(dir_.path().toStdString());
    test::write_model_folder(good(), test::tiny_config(), test::tiny_tensors(test::tiny_config()));
  }

  void init() { freshWindowWithTree(); }
  void cleanup() {
    if (window_) window_->close();
    window_.reset();
  }

  // ---- model folders --------------------------------------------------------

  void missingOrTruncatedModelFiles_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("file");
    QTest::newRow("safetensors missing") << "no-st"
                                         << "model.safetensors";
    QTest::newRow("safetensors truncated") << "st-cut"
                                           << "model.safetensors";
    QTest::newRow("safetensors empty") << "st-empty"
                                       << "model.safetensors";
    QTest::newRow("config missing") << "no-config"
                                    << "config.json";
    QTest::newRow("vocab missing") << "no-vocab"
                                   << "vocab.json";
    QTest::newRow("vocab truncated") << "vocab-cut"
                                     << "vocab.json";
    QTest::newRow("merges missing") << "no-merges"
                                    << "merges.txt";
  }
  void missingOrTruncatedModelFiles() {
    QFETCH(QString, name);
    QFETCH(QString, file);
    const std::string f = file.toStdString();
    const bool cut = name.endsWith(QLatin1String("-cut"));
    const bool empty = name.endsWith(QLatin1String("-empty"));
    const fs::path d = variant(name.toStdString(), [&](const fs::path& p) {
      if (cut) {
        const std::string bytes = test::slurp(p / f);
        test::spit(p / f, bytes.substr(0, bytes.size() / 2));
      } else if (empty) {
        test::spit(p / f, "");
      } else {
        fs::remove(p / f);
      }
    });
    checkLoadRefused(d, {file});
  }

  void wrongDtype() {
    const fs::path d = variant("i32", [](const fs::path& p) {
      auto tensors = test::tiny_tensors(test::tiny_config());
      for (auto& t : tensors) {
        if (t.name == "transformer.h.0.ln_1.weight") t.dtype = "I32";
      }
      test::spit(p / "model.safetensors", test::safetensors_bytes(tensors));
    });
    checkLoadRefused(d, {QStringLiteral("h.0.ln_1.weight"), QStringLiteral("I32")});
  }

  void shapesContradictConfig() {
    const fs::path d = variant("shapes", [](const fs::path& p) {
      Gpt2Config wider = test::tiny_config();
      wider.n_embd = 16;  // the tensors stay 8 wide
      test::spit(p / "config.json", test::config_json(wider).dump());
    });
    checkLoadRefused(d, {QStringLiteral("shape")});
  }

  void tokenizerDoesNotMatchTheModelVocabulary() {
    const fs::path d = variant("small-model-vocab", [](const fs::path& p) {
      const Gpt2Config smaller = test::tiny_config(200);
      test::spit(p / "config.json", test::config_json(smaller).dump());
      test::spit(p / "model.safetensors", test::safetensors_bytes(test::tiny_tensors(smaller)));
    });
    checkLoadRefused(d, {QStringLiteral("200")});
  }

  void folderThatIsNotAModel() {
    const fs::path empty = root_ / "empty";
    fs::create_directories(empty);
    checkLoadRefused(empty, {QStringLiteral("config.json")});
    const fs::path text = root_ / "text-files";
    fs::create_directories(text);
    test::spit(text / "README.md", "# not a model\n");
    checkLoadRefused(text, {QStringLiteral("config.json")});
    checkLoadRefused(good() / "config.json", {QStringLiteral("config.json")});
    checkLoadRefused(root_ / "no-such-folder", {QStringLiteral("no-such-folder")});
  }

  void nanWeightsLoadButTheRunIsRefused() {
    const fs::path d = variant("nan-weights", [](const fs::path& p) {
      auto tensors = test::tiny_tensors(test::tiny_config());
      for (auto& t : tensors) {
        if (t.name != "transformer.ln_f.bias") continue;
        const float nan = std::nanf("");
        for (std::size_t i = 0; i < t.data.size(); i += sizeof(float))
          std::memcpy(&t.data[i], &nan, sizeof(float));
      }
      test::spit(p / "model.safetensors", test::safetensors_bytes(tensors));
    });
    QSignalSpy ready(&w(), &MainWindow::modelReady);
    w().loadModel(q(d));
    QVERIFY(ready.wait(kTimeoutMs));  // the file is valid; its numbers are not
    checkRunRefused({QStringLiteral("non-finite")});
  }

  // ---- prompts ----------------------------------------------------------------

  void emptyPrompt() {
    w().promptEdit()->clear();
    checkRunRefused({QStringLiteral("empty")});
  }

  void promptLongerThanTheContext() {
    // 20 single-byte tokens ("x" has no merge) > the 16 positions.
    w().promptEdit()->setText(QString(20, QLatin1Char('x')));
    w().controls()->maxNewTokens()->setValue(1);
    checkRunRefused({QStringLiteral("20 tokens"), QStringLiteral("context of 16")});
  }

  void maxNewTokensBeyondTheContext() {
    // The last new token is never fed back: 2 + 16 - 1 = 17 > 16 positions.
    w().promptEdit()->setText(QStringLiteral("ab"));
    w().controls()->maxNewTokens()->setValue(16);
    checkRunRefused({QStringLiteral("2 tokens"), QStringLiteral("max_new_tokens (16)"),
                     QStringLiteral("context of 16")});
    // 15 fits exactly, and the window runs it.
    w().controls()->setPreset(StrategyPreset::Greedy);
    w().controls()->maxNewTokens()->setValue(15);
    QVERIFY(runAndWait());
    QCOMPARE(int(firstSequence().size()), 15);
  }

  void loneSurrogateInThePromptBox() {
    // What a broken paste puts in the box: half a surrogate pair. It has no
    // UTF-8 form (Qt would quietly send '?'), so the run is refused and the
    // sentence says where.
    QString prompt = QStringLiteral("h");
    prompt += QChar(0xD800);
    prompt += QStringLiteral("e");
    w().promptEdit()->setText(prompt);
    checkRunRefused({QStringLiteral("position 2"), QStringLiteral("surrogate")});
    // A whole pair (an emoji) is fine: four UTF-8 bytes, one byte token each.
    w().promptEdit()->setText(QStringLiteral("h\U0001F600e"));
    QVERIFY(runAndWait());
    const std::vector<std::int32_t> expected{'h', 0xF0, 0x9F, 0x98, 0x80, 'e'};
    QString got;
    for (std::int32_t id : w().lastOutcome().prompt_ids) got += QString::number(id) + ' ';
    QVERIFY2(w().lastOutcome().prompt_ids == expected, qPrintable(got));
  }

  void sessionWithNonUtf8PromptBytes() {
    // A session written by the CLI from a non-UTF-8 prompt keeps the bytes.
    Session session;
    session.prompt_text =
        "h\xff"
        "e";
    session.prompt_ids = {'h', 0xFF, 'e'};
    session.params = w().lastOutcome().params;
    session.tree = *good_tree_;
    const fs::path file = root_ / "bytes-session.json";
    save_session(session, file);

    QVERIFY(w().openSessionFrom(q(file)));
    QVERIFY(*w().tree() == *good_tree_);  // the tree is the record, shown as saved
    QVERIFY(w().lastOutcome().prompt_ids == session.prompt_ids);
    QCOMPARE(w().promptEdit()->text(), QStringLiteral("h\uFFFDe"));
    QVERIFY(w().messageBar()->hasMessage());
    QCOMPARE(w().messageBar()->kind(), MessageBar::Kind::Notice);
    checkSentence(w().messageBar()->text(), {QStringLiteral("UTF-8"), QStringLiteral("\uFFFD")});
    QVERIFY(QApplication::activeModalWidget() == nullptr);
  }

  // ---- parameters -------------------------------------------------------------

  void temperatureZeroSamplesTheGreedyPath() {
    w().controls()->setPreset(StrategyPreset::Greedy);
    w().controls()->maxNewTokens()->setValue(6);
    QVERIFY(runAndWait());
    const auto greedy = firstSequence();
    QCOMPARE(int(greedy.size()), 6);
    w().controls()->setPreset(StrategyPreset::TopK);
    w().controls()->temperature()->setValue(0.0);
    w().controls()->numSamples()->setValue(8);
    QCOMPARE(w().controls()->params().temperature, 0.0);
    QVERIFY(runAndWait());
    QCOMPARE(int(w().tree()->sequences.size()), 1);  // all 8 samples took one path
    QCOMPARE(w().tree()->sequences.front().count, 8);
    QVERIFY(firstSequence() == greedy);
  }

  void topPZeroKeepsTheBestToken() {
    w().controls()->setPreset(StrategyPreset::Greedy);
    w().controls()->maxNewTokens()->setValue(6);
    QVERIFY(runAndWait());
    const auto greedy = firstSequence();
    w().controls()->setPreset(StrategyPreset::TopP);
    w().controls()->topP()->setValue(0.0);
    w().controls()->temperature()->setValue(1.0);
    w().controls()->numSamples()->setValue(8);
    QCOMPARE(w().controls()->params().top_p, 0.0);
    QVERIFY(runAndWait());
    QCOMPARE(int(w().tree()->sequences.size()), 1);
    QVERIFY(firstSequence() == greedy);
  }

  void beamWidthAboveTheVocabularyCannotBeAsked() {
    w().controls()->setPreset(StrategyPreset::Beam);
    w().controls()->beamWidth()->setValue(100000);
    QCOMPARE(w().controls()->params().num_beams, 16);  // the control's ceiling
    QVERIFY(16 < w().service()->model().vocab_size);
    QVERIFY(runAndWait());  // and the widest beam runs
    QCOMPARE(w().lastOutcome().params.num_beams, 16);
    good_tree_ = w().tree();

    // A session file can say anything: more than 256 beams is refused.
    Session session;
    session.prompt_text = "the";
    session.prompt_ids = {116, 256};
    session.params = w().lastOutcome().params;
    session.tree = *good_tree_;
    const fs::path file = root_ / "wide-session.json";
    auto json = session_to_json(session);
    json["params"]["num_beams"] = 300;
    json["params"]["num_return_sequences"] = 1;
    test::spit(file, json.dump());
    QVERIFY(!w().openSessionFrom(q(file)));
    checkRefusedKeepingTree({QStringLiteral("num_beams"), QStringLiteral("300")});
    // A value out of its range: the core's sentence, word for word as the CLI
    // gives it (tests/app/param_options_cli_test.cpp).
    json["params"]["num_beams"] = 2;
    json["params"]["top_p"] = 1.5;
    test::spit(file, json.dump());
    QVERIFY(!w().openSessionFrom(q(file)));
    checkRefusedKeepingTree({QStringLiteral("top_p"), QStringLiteral("1.5")});
    QCOMPARE(w().messageBar()->text(), QStringLiteral("top_p must be between 0 and 1 (got 1.5)."));
  }

  void nodeCapStopsTheRunWithAVisibleMessage() {
    w().setNodeCap(30);
    w().controls()->setPreset(StrategyPreset::Beam);
    w().controls()->beamWidth()->setValue(4);
    w().controls()->maxNewTokens()->setValue(8);
    QVERIFY(runAndWait());
    QVERIFY(w().lastOutcome().capped);
    QVERIFY(w().tree()->size() <= 30);
    QVERIFY(w().tree()->size() > 1);
    QVERIFY(w().messageBar()->hasMessage());
    QCOMPARE(w().messageBar()->text(),
             QStringLiteral("The tree reached its cap of 30 nodes; decoding stopped."));
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    // A cap the run fits under clears the message again.
    w().setNodeCap(DecodeParams::kDefaultMaxNodes);
    QVERIFY(runAndWait());
    QVERIFY(!w().lastOutcome().capped);
    QVERIFY(w().tree()->size() > 30);
    QVERIFY(!w().messageBar()->hasMessage());
  }

  void messageBarCanBeDismissed() {
    w().promptEdit()->clear();
    checkRunRefused({QStringLiteral("empty")});
    w().messageBar()->clearMessage();
    QVERIFY(!w().messageBar()->hasMessage());
    QVERIFY(w().tree().get() == good_tree_.get());
  }
};

QTEST_MAIN(BadInputsGuiTest)
#include "bad_inputs_gui_test.moc"
