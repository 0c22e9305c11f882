// Issue 17, bug 7: num_return_sequences 4 with beam width 3 returned 3
// answers without a word. Hugging Face refuses num_return_sequences >
// num_beams; the core does the same (validate_decode_params), and the
// controls never show a number the run would not use: the return-sequences
// control is limited to the beam width (or the number of samples).
#include <QDoubleSpinBox>
#include <QSettings>
#include <QtTest>

#include "controls_panel.h"
#include "decoding/decode_param_spec.h"
#include "slider_spin.h"
#include "util/error.h"

using namespace beamscope;
using namespace beamscope::ui;

class ReturnSequencesTest : public QObject {
  Q_OBJECT

 private slots:
  void theControlShowsWhatTheRunReturns() {
    ControlsPanel panel;
    panel.setPreset(StrategyPreset::Beam);
    SliderSpin* returned = panel.slider("num_return_sequences");
    QVERIFY(returned);
    panel.beamWidth()->setValue(4);
    returned->setValue(4);
    QCOMPARE(panel.params().num_return_sequences, 4);
    panel.beamWidth()->setValue(3);
    // Shown as 3, and 3 is what the run gets: no silent cut.
    QCOMPARE(returned->value(), 3.0);
    QCOMPARE(panel.params().num_return_sequences, 3);
    returned->setValue(5);  // typing more is held at the beam width
    QCOMPARE(returned->value(), 3.0);
    QCOMPARE(returned->spinBox()->maximum(), 3.0);
    // Sampling: limited by the number of samples instead.
    panel.setPreset(StrategyPreset::TopK);
    panel.numSamples()->setValue(8);
    returned->setValue(6);
    QCOMPARE(panel.params().num_return_sequences, 6);
    panel.numSamples()->setValue(2);
    QCOMPARE(returned->value(), 2.0);
    QCOMPARE(panel.params().num_return_sequences, 2);
    validate_decode_params(panel.params());  // what the panel sends is valid
  }

  // Saved values that break the rule come in limited, not cut at run time.
  void savedValuesAreLimitedVisibly() {
    ControlsPanel panel;
    DecodeParams p = first_run_params();
    p.strategy = StrategyKind::Beam;
    p.num_beams = 3;
    p.num_return_sequences = 4;
    panel.setParams(p);
    QCOMPARE(panel.slider("num_return_sequences")->value(), 3.0);
    QCOMPARE(panel.params().num_return_sequences, 3);
    // The other way round, values arriving in table order are not cut by a
    // stale limit: 6 answers of 8 samples stay 6.
    p.strategy = StrategyKind::Sample;
    p.num_samples = 8;
    p.num_return_sequences = 6;
    panel.setParams(p);
    QCOMPARE(panel.params().num_return_sequences, 6);
  }

  // The core, the one place that validates, refuses with a sentence.
  void theCoreRefusesMoreThanTheBeams() {
    DecodeParams p = first_run_params();
    p.strategy = StrategyKind::Beam;
    p.num_beams = 3;
    p.num_return_sequences = 4;
    try {
      validate_decode_params(p);
      QFAIL("num_return_sequences 4 with num_beams 3 was accepted");
    } catch (const Error& e) {
      QCOMPARE(QString::fromUtf8(e.what()),
               QStringLiteral("num_return_sequences (4) cannot be larger than num_beams (3)."));
    }
  }
};

QTEST_MAIN(ReturnSequencesTest)
#include "return_sequences_test.moc"
