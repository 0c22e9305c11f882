// The controls panel maps each strategy preset onto DecodeParams the way the
// engine expects (unused stages neutral), disables what a strategy ignores,
// round-trips through setParams, and emits paramsChanged for slider moves.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

#include "controls_panel.h"
#include "decoding/decode_param_spec.h"
#include "slider_spin.h"

using namespace beamscope;
using namespace beamscope::ui;

class ControlsPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void presetsMapOntoParams() {
    ControlsPanel panel;
    panel.topK()->setValue(7);
    panel.topP()->setValue(0.8);
    panel.minP()->setValue(0.2);
    panel.temperature()->setValue(0.7);

    panel.setPreset(StrategyPreset::Greedy);
    DecodeParams d = panel.params();
    QCOMPARE(d.strategy, StrategyKind::Greedy);
    QCOMPARE(d.num_return_sequences, 1);
    QCOMPARE(d.top_k, 0);

    panel.setPreset(StrategyPreset::Beam);
    panel.beamWidth()->setValue(5);
    d = panel.params();
    QCOMPARE(d.strategy, StrategyKind::Beam);
    QCOMPARE(d.num_beams, 5);
    QCOMPARE(d.temperature, 1.0);  // beam search here is deterministic
    QVERIFY(d.num_return_sequences <= d.num_beams);

    panel.setPreset(StrategyPreset::TopK);
    d = panel.params();
    QCOMPARE(d.strategy, StrategyKind::Sample);
    QCOMPARE(d.top_k, 7);
    QCOMPARE(d.top_p, 1.0);
    QCOMPARE(d.min_p, 0.0);
    QCOMPARE(d.temperature, 0.7);

    panel.setPreset(StrategyPreset::TopP);
    d = panel.params();
    QCOMPARE(d.top_p, 0.8);
    QCOMPARE(d.top_k, 0);

    panel.setPreset(StrategyPreset::MinP);
    d = panel.params();
    QCOMPARE(d.min_p, 0.2);
    QCOMPARE(d.top_p, 1.0);
    QVERIFY(d.num_return_sequences <= d.num_samples);
  }

  void disablesWhatTheStrategyIgnores() {
    ControlsPanel panel;
    panel.setPreset(StrategyPreset::Beam);
    QVERIFY(panel.beamWidth()->isEnabled());
    QVERIFY(!panel.temperature()->isEnabled());
    QVERIFY(!panel.minP()->isEnabled());
    panel.setPreset(StrategyPreset::MinP);
    QVERIFY(!panel.beamWidth()->isEnabled());
    QVERIFY(panel.temperature()->isEnabled());
    QVERIFY(panel.minP()->isEnabled());
    QVERIFY(!panel.topK()->isEnabled());
  }

  void customChainFollowsTheListOrder() {
    ControlsPanel panel;
    panel.setPreset(StrategyPreset::Custom);
    const DecodeParams d = panel.params();
    QCOMPARE(d.order, ChainOrder::Custom);
    const std::vector<std::string> expected{"temperature", "top_k", "top_p", "min_p"};
    QCOMPARE(d.custom_order, expected);
    // Round trip with a different order and one stage unticked.
    DecodeParams in = d;
    in.custom_order = {"min_p", "temperature"};
    in.min_p = 0.3;
    in.temperature = 1.4;
    panel.setParams(in);
    const DecodeParams out = panel.params();
    QCOMPARE(out.custom_order, in.custom_order);
    QCOMPARE(out.min_p, 0.3);
    QCOMPARE(out.top_k, 0);  // unticked: off
    QCOMPARE(out.temperature, 1.4);
  }

  void setParamsRoundTripsAndPicksThePreset() {
    ControlsPanel panel;
    DecodeParams in;
    in.strategy = StrategyKind::Sample;
    in.min_p = 0.05;
    in.temperature = 1.3;
    in.num_samples = 16;
    in.seed = 42;
    in.max_new_tokens = 12;
    in.num_return_sequences = 3;
    in.order = ChainOrder::LlamaCpp;
    QSignalSpy changed(&panel, &ControlsPanel::paramsChanged);
    panel.setParams(in);
    QCOMPARE(changed.count(), 1);  // one signal, not one per control
    QCOMPARE(panel.preset(), StrategyPreset::MinP);
    const DecodeParams out = panel.params();
    QCOMPARE(out.min_p, 0.05);
    QCOMPARE(out.temperature, 1.3);
    QCOMPARE(out.num_samples, 16);
    QCOMPARE(out.seed, std::uint64_t{42});
    QCOMPARE(out.max_new_tokens, 12);
    QCOMPARE(out.num_return_sequences, 3);
    QCOMPARE(out.order, ChainOrder::LlamaCpp);
  }

  void slidersComeFromTheParameterTable() {
    ControlsPanel panel;
    int sliders = 0;
    for (const DecodeParamSpec& spec : decode_param_specs()) {
      SliderSpin* s = panel.slider(spec.name);
      QCOMPARE(s != nullptr, spec.slider.step > 0);
      if (!s) continue;
      ++sliders;
      QCOMPARE(s->spinBox()->minimum(), spec.slider.lo);
      if (spec.name == "num_return_sequences") {
        // Limited to what the run can return (the beam width or samples).
        QVERIFY(s->spinBox()->maximum() <= spec.slider.hi);
      } else {
        QCOMPARE(s->spinBox()->maximum(), spec.slider.hi);
      }
      QCOMPARE(s->spinBox()->singleStep(), spec.slider.step);
      QCOMPARE(s->spinBox()->decimals(), spec.slider.decimals);
      QVERIFY(s->spinBox()->toolTip().contains(
          QString::fromUtf8(spec.help.data(), qsizetype(spec.help.size()))));
      // A strategy that ignores the parameter disables its control.
      for (StrategyPreset p :
           {StrategyPreset::Greedy, StrategyPreset::Beam, StrategyPreset::Custom}) {
        panel.setPreset(p);
        const StrategyKind kind = panel.params().strategy;
        QCOMPARE(s->isEnabled(), spec.used_by.has(kind));
      }
    }
    QVERIFY(sliders >= 12);
    // The panel starts at the table's first-run values.
    ControlsPanel fresh;
    const DecodeParams start = first_run_params();
    QCOMPARE(fresh.maxNewTokens()->intValue(), start.max_new_tokens);
    QCOMPARE(fresh.topK()->intValue(), start.top_k);
  }

  void sliderAndSpinBoxAgree() {
    ControlsPanel panel;
    panel.setPreset(StrategyPreset::MinP);
    QSignalSpy changed(&panel, &ControlsPanel::paramsChanged);
    SliderSpin* temperature = panel.temperature();
    temperature->slider()->setValue(150);  // 0.01 per step
    QCOMPARE(temperature->spinBox()->value(), 1.5);
    QCOMPARE(panel.params().temperature, 1.5);
    temperature->spinBox()->setValue(2.25);
    QCOMPARE(temperature->slider()->value(), 225);
    QCOMPARE(changed.count(), 2);
    // Ranges from the brief.
    QCOMPARE(panel.beamWidth()->spinBox()->maximum(), 16.0);
    QCOMPARE(panel.numSamples()->spinBox()->maximum(), 64.0);
    QCOMPARE(temperature->spinBox()->maximum(), 3.0);
  }
};

QTEST_MAIN(ControlsPanelTest)
#include "controls_panel_test.moc"
