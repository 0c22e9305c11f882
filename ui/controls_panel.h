#pragma once

#include <QWidget>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decoding/decode_param_spec.h"
#include "strategy_preset.h"

class QComboBox;
class QCheckBox;
class QListWidget;
class QLabel;
class QVBoxLayout;

namespace beamscope::ui {

class SliderSpin;

// Every knob of a decoding run, as sliders with exact spin boxes. The
// sliders, their ranges, tooltips and which strategies use them come from
// the parameter table (decoding/decode_param_spec.h): an entry with a slider
// hint gets a slider here. Controls that the chosen strategy ignores are
// disabled, so the panel itself teaches which parameters matter where.
// Emits paramsChanged on any change.
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

  // The slider of the table entry `name`, or nullptr where it has none.
  SliderSpin* slider(std::string_view name) const;
  SliderSpin* beamWidth() const { return slider("num_beams"); }
  SliderSpin* maxNewTokens() const { return slider("max_new_tokens"); }
  SliderSpin* temperature() const { return slider("temperature"); }
  SliderSpin* topK() const { return slider("top_k"); }
  SliderSpin* topP() const { return slider("top_p"); }
  SliderSpin* minP() const { return slider("min_p"); }
  SliderSpin* numSamples() const { return slider("num_samples"); }
  SliderSpin* alternatives() const { return slider("alternatives"); }
  QComboBox* strategyBox() const { return strategy_; }

 signals:
  void paramsChanged();

 private:
  void updateEnabled();
  // The return-sequences control goes no higher than the run can return
  // (num_beams, or num_samples when sampling): shown, never quietly cut.
  void limitReturnSequences();
  void addChoiceBox(const DecodeParamSpec& spec, QComboBox* box);
  // Whether the entry's control counts under the current preset: `ticked`
  // limits a custom chain to its ticked stages (params()), else all of them
  // (enabled state).
  bool uses(const DecodeParamSpec& spec, bool ticked) const;
  std::vector<std::string> tickedStages() const;

  QComboBox* strategy_;
  QLabel* strategy_help_;
  std::vector<std::pair<const DecodeParamSpec*, SliderSpin*>> sliders_;  // table order
  QComboBox* early_stopping_;
  QComboBox* order_;
  QListWidget* custom_chain_;
  QVBoxLayout* layout_;
};

}  // namespace beamscope::ui
