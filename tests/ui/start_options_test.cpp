// `beamscope`'s command line: what it reads, what it refuses, and that the
// values it sets are for that run only — the user's saved settings stay as
// they were.
#include <QComboBox>
#include <QLineEdit>
#include <QSettings>
#include <QtTest>

#include "app_start.h"
#include "controls_panel.h"
#include "main_window.h"
#include "settings_store.h"
#include "start_options.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {

QStringList line(std::initializer_list<const char*> args) {
  QStringList out{QStringLiteral("beamscope")};
  for (const char* a : args) out << QString::fromUtf8(a);
  return out;
}

}  // namespace

class StartOptionsTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("start_options_test"));
    QSettings().clear();
  }

  void readsEveryOption() {
    const auto read = read_command_line(
        line({"--model", "/models/m", "--prompt", "Once upon", "--strategy", "top-k", "--beams",
              "6", "--temperature", "0.7", "--inspect", "3", "--screenshot", "/tmp/s.png", "--size",
              "800x600", "--theme", "dark", "--presentation"}));
    QVERIFY(std::holds_alternative<StartOptions>(read));
    const StartOptions& o = std::get<StartOptions>(read);
    QCOMPARE(o.model_folder, QStringLiteral("/models/m"));
    QCOMPARE(o.prompt.value_or(QString()), QStringLiteral("Once upon"));
    QVERIFY(o.preset == StrategyPreset::TopK);
    QCOMPARE(int(o.param_values.size()), 2);
    QCOMPARE(o.param_values[0].first, std::string("num_beams"));
    QCOMPARE(o.param_values[0].second, 6.0);
    QCOMPARE(o.param_values[1].first, std::string("temperature"));
    QCOMPARE(o.param_values[1].second, 0.7);
    QCOMPARE(o.inspect_node, 3);
    QCOMPARE(o.screenshot, QStringLiteral("/tmp/s.png"));
    QCOMPARE(o.size, QSize(800, 600));
    QVERIFY(o.theme == Theme::Dark);
    QVERIFY(o.presentation);
    QVERIFY(o.autoRun());
    QVERIFY(o.overridesSettings());
  }

  void nothingGivenOverridesNothing() {
    const auto read = read_command_line(line({"--theme", "light", "--presentation"}));
    QVERIFY(std::holds_alternative<StartOptions>(read));
    const StartOptions& o = std::get<StartOptions>(read);
    QVERIFY(!o.overridesSettings());
    QVERIFY(!o.autoRun());
    QVERIFY(o.model_folder.isEmpty());
  }

  void presetNamesRoundTrip() {
    for (StrategyPreset p : {StrategyPreset::Greedy, StrategyPreset::Beam, StrategyPreset::TopK,
                             StrategyPreset::TopP, StrategyPreset::MinP, StrategyPreset::Custom}) {
      QVERIFY(parse_preset(preset_name(p)) == p);
    }
    QVERIFY(!parse_preset(QStringLiteral("top_k")));
  }

  void mistakesAreRefused_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("strategy") << line({"--strategy", "nucleus"});
    QTest::newRow("theme") << line({"--theme", "sepia"});
    QTest::newRow("number") << line({"--beams", "four"});
    QTest::newRow("out of range") << line({"--min-p", "1.5"});
    QTest::newRow("inspect") << line({"--inspect", "-2"});
    QTest::newRow("size") << line({"--size", "800"});
    QTest::newRow("size zero") << line({"--size", "0x600"});
    QTest::newRow("unknown") << line({"--beam-width", "4"});
    QTest::newRow("missing value") << line({"--prompt"});
  }
  void mistakesAreRefused() {
    QFETCH(QStringList, args);
    const auto read = read_command_line(args);
    QVERIFY(std::holds_alternative<int>(read));
    QCOMPARE(std::get<int>(read), 1);
  }

  // The user's settings before, a run with command-line options, the user's
  // settings after: unchanged, though the run saw and saved its own values.
  void commandLineValuesAreNotSaved() {
    DecodeParams saved = DecodeParams{};
    saved.strategy = StrategyKind::Beam;
    saved.num_beams = 4;
    saved.temperature = 1.0;
    settings::setParams(saved);
    settings::setPrompt(QStringLiteral("saved prompt"));
    settings::setPreset(int(StrategyPreset::Beam));
    const QString user_file = QSettings().fileName();

    const auto read = read_command_line(line({"--prompt", "command-line prompt", "--strategy",
                                              "top-k", "--beams", "6", "--size", "900x700"}));
    QVERIFY(std::holds_alternative<StartOptions>(read));
    const StartOptions& options = std::get<StartOptions>(read);
    QVERIFY(options.overridesSettings());
    settings::useScratchCopy();
    QVERIFY(QSettings().fileName() != user_file);
    // The run starts from the user's settings…
    QCOMPARE(settings::prompt({}), QStringLiteral("saved prompt"));
    {
      MainWindow window;
      QCOMPARE(window.controls()->controlValues().num_beams, 4);
      apply_options(window, options);
      // …with the command line's values on top…
      QCOMPARE(window.promptEdit()->text(), QStringLiteral("command-line prompt"));
      QVERIFY(window.controls()->preset() == StrategyPreset::TopK);
      QCOMPARE(window.controls()->controlValues().num_beams, 6);
      QCOMPARE(window.size(), QSize(900, 700));
      window.show();
      QVERIFY(window.close());  // closing saves prompt, parameters and window
    }
    // …saves them in its scratch copy…
    QCOMPARE(settings::prompt({}), QStringLiteral("command-line prompt"));
    QCOMPARE(settings::params({}).num_beams, 6);
    // …and the user's file has what it had.
    const QSettings user(user_file, QSettings::NativeFormat);
    QCOMPARE(user.value(QStringLiteral("run/prompt")).toString(), QStringLiteral("saved prompt"));
    QCOMPARE(user.value(QStringLiteral("params/num_beams")).toInt(), 4);
    QCOMPARE(user.value(QStringLiteral("run/preset")).toInt(), int(StrategyPreset::Beam));
    QVERIFY(!user.contains(QStringLiteral("window/geometry")));
  }
};

QTEST_MAIN(StartOptionsTest)
#include "start_options_test.moc"
