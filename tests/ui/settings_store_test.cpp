// The GUI settings keep every decoding parameter of the table
// (decoding/decode_param_spec.h) across runs, and a saved value that no
// longer parses or is out of range falls back instead of reaching a run.
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

#include "common/decode_param_samples.h"
#include "decoding/decode_param_spec.h"
#include "settings_store.h"

using namespace beamscope;
using namespace beamscope::ui;

class SettingsStoreTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // never the user's own settings
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("settings_store_test"));
  }
  void init() { QSettings().clear(); }
  void cleanupTestCase() { QSettings().clear(); }

  void everyParameterRoundTrips() {
    const DecodeParams fallback = first_run_params();
    QVERIFY(settings::params(fallback) == fallback);  // nothing saved yet
    for (const DecodeParamSpec& spec : decode_param_specs()) {
      DecodeParams one;
      test::set_other_value(spec, one);
      settings::setParams(one);
      QVERIFY2(settings::params(fallback) == one, spec.name.data());
    }
    const DecodeParams all = test::every_param_changed();
    settings::setParams(all);
    QVERIFY(settings::params(fallback) == all);
  }

  void badSavedValuesKeepTheFallback() {
    const DecodeParams fallback = first_run_params();
    settings::setParams(fallback);
    QSettings s;
    s.setValue(QStringLiteral("params/top_p"), QStringLiteral("1.5"));       // out of range
    s.setValue(QStringLiteral("params/num_beams"), QStringLiteral("many"));  // not a number
    s.setValue(QStringLiteral("params/strategy"), QStringLiteral("nucleus"));
    s.setValue(QStringLiteral("params/min_p"), QStringLiteral("0.25"));  // fine
    s.sync();
    const DecodeParams read = settings::params(fallback);
    QCOMPARE(read.top_p, fallback.top_p);
    QCOMPARE(read.num_beams, fallback.num_beams);
    QCOMPARE(read.strategy, fallback.strategy);
    QCOMPARE(read.min_p, 0.25);
  }
};

QTEST_MAIN(SettingsStoreTest)
#include "settings_store_test.moc"
