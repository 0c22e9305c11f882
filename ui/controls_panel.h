#pragma once

#include <QWidget>

#include "decoding/decode_params.h"
#include "strategy_preset.h"

class QComboBox;
class QCheckBox;
class QListWidget;
class QLabel;
class QVBoxLayout;

namespace beamscope::ui {

class SliderSpin;

// Every knob of a decoding run, as sliders with exact spin boxes. Controls
// that the chosen strategy ignores are disabled, so the panel itself teaches
// which parameters matter where. Emits paramsChanged on any change.
class ControlsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ControlsPanel(QWidget* parent = nullptr);

  // What the engine gets: stages the chosen strategy does not use are left at
  // their neutral values.
  DecodeParams params() const;
  // Every control's value, used or not (what settings remember).
  DecodeParams controlValues() const;
  void setParams(const DecodeParams& params);  // picks the matching preset
  StrategyPreset preset() const;
  void setPreset(StrategyPreset preset);

  SliderSpin* beamWidth() const { return beams_; }
  SliderSpin* maxNewTokens() const { return max_new_; }
  SliderSpin* temperature() const { return temperature_; }
  SliderSpin* topK() const { return top_k_; }
  SliderSpin* topP() const { return top_p_; }
  SliderSpin* minP() const { return min_p_; }
  SliderSpin* numSamples() const { return samples_; }
  SliderSpin* alternatives() const { return alternatives_; }
  QComboBox* strategyBox() const { return strategy_; }

 signals:
  void paramsChanged();

 private:
  void updateEnabled();
  SliderSpin* addSlider(const QString& label, double lo, double hi, double step, int decimals,
                        double value, const QString& tip);

  QComboBox* strategy_;
  QLabel* strategy_help_;
  SliderSpin* beams_;
  SliderSpin* max_new_;
  SliderSpin* temperature_;
  SliderSpin* top_k_;
  SliderSpin* top_p_;
  SliderSpin* min_p_;
  SliderSpin* length_penalty_;
  QComboBox* early_stopping_;
  SliderSpin* return_sequences_;
  SliderSpin* samples_;
  SliderSpin* seed_;
  SliderSpin* repetition_penalty_;
  QComboBox* order_;
  QListWidget* custom_chain_;
  SliderSpin* alternatives_;
  QVBoxLayout* layout_;
};

}  // namespace beamscope::ui
