#include "controls_panel.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <algorithm>
#include <array>

#include "slider_spin.h"

namespace beamscope::ui {

namespace {

// The strategy presets: the engine strategy each one runs and the one
// truncation stage it switches on ("" for none; Custom uses the chain list).
struct PresetInfo {
  StrategyPreset preset;
  StrategyKind kind;
  std::string_view stage;
};
constexpr std::array<PresetInfo, 6> kPresets{{
    {StrategyPreset::Greedy, StrategyKind::Greedy, ""},
    {StrategyPreset::Beam, StrategyKind::Beam, ""},
    {StrategyPreset::TopK, StrategyKind::Sample, "top_k"},
    {StrategyPreset::TopP, StrategyKind::Sample, "top_p"},
    {StrategyPreset::MinP, StrategyKind::Sample, "min_p"},
    {StrategyPreset::Custom, StrategyKind::Sample, ""},
}};

const PresetInfo& info_of(StrategyPreset preset) {
  return *std::find_if(kPresets.begin(), kPresets.end(),
                       [&](const PresetInfo& p) { return p.preset == preset; });
}

// A stage some preset switches on (top_k, top_p, min_p): off in the others.
// Temperature is no preset's stage, so every sampling preset uses it.
bool is_preset_stage(std::string_view stage) {
  return std::any_of(kPresets.begin(), kPresets.end(),
                     [&](const PresetInfo& p) { return !stage.empty() && p.stage == stage; });
}

// The stages a custom chain can list: the table's stages that have a slider.
std::vector<std::string> chain_stages() {
  std::vector<std::string> out;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (!spec.stage.empty() && spec.slider.step > 0) out.emplace_back(spec.stage);
  }
  return out;
}

QString text_of(std::string_view text) {
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString preset_help(StrategyPreset preset) {
  switch (preset) {
    case StrategyPreset::Greedy:
      return QObject::tr("Always take the most likely next token.");
    case StrategyPreset::Beam:
      return QObject::tr("Keep the best <i>beam width</i> partial sequences by total log-prob.");
    case StrategyPreset::TopK:
      return QObject::tr("Sample from the <i>k</i> most likely tokens.");
    case StrategyPreset::TopP:
      return QObject::tr("Sample from the smallest set whose probability mass reaches <i>p</i>.");
    case StrategyPreset::MinP:
      return QObject::tr("Sample from tokens at least <i>min-p</i> × the top probability.");
    case StrategyPreset::Custom:
      return QObject::tr(
          "Sample through the stages ticked below, in the listed order "
          "(drag to reorder).");
  }
  return {};
}

void add_chain_item(QListWidget* list, const std::string& stage, bool ticked) {
  auto* item = new QListWidgetItem(QString::fromStdString(stage), list);
  item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled);
  item->setCheckState(ticked ? Qt::Checked : Qt::Unchecked);
}

}  // namespace

ControlsPanel::ControlsPanel(QWidget* parent) : QWidget(parent) {
  layout_ = new QVBoxLayout(this);
  layout_->setContentsMargins(8, 8, 8, 8);
  layout_->setSpacing(8);

  strategy_ = new QComboBox(this);
  strategy_->addItem(tr("Greedy"), int(StrategyPreset::Greedy));
  strategy_->addItem(tr("Beam search"), int(StrategyPreset::Beam));
  strategy_->addItem(tr("Top-k sampling"), int(StrategyPreset::TopK));
  strategy_->addItem(tr("Top-p (nucleus) sampling"), int(StrategyPreset::TopP));
  strategy_->addItem(tr("Min-p sampling"), int(StrategyPreset::MinP));
  strategy_->addItem(tr("Custom sampler chain"), int(StrategyPreset::Custom));
  strategy_->setToolTip(tr("How the next token is picked at every step."));
  auto* strategy_label = new QLabel(tr("&Strategy"), this);
  strategy_label->setBuddy(strategy_);
  layout_->addWidget(strategy_label);
  layout_->addWidget(strategy_);
  strategy_help_ = new QLabel(this);
  strategy_help_->setWordWrap(true);
  strategy_help_->setTextFormat(Qt::RichText);
  strategy_help_->setForegroundRole(QPalette::PlaceholderText);
  layout_->addWidget(strategy_help_);

  early_stopping_ = new QComboBox(this);
  early_stopping_->addItem(tr("true: stop when beam width answers are done"),
                           int(EarlyStopping::True));
  early_stopping_->addItem(tr("false: stop when no beam can still win"), int(EarlyStopping::False));
  early_stopping_->addItem(tr("never: as false, assuming the longest length"),
                           int(EarlyStopping::Never));
  order_ = new QComboBox(this);
  order_->addItem(tr("Hugging Face order (temperature first)"), int(ChainOrder::Hf));
  order_->addItem(tr("llama.cpp order (temperature last)"), int(ChainOrder::LlamaCpp));
  custom_chain_ = new QListWidget(this);
  custom_chain_->setDragDropMode(QAbstractItemView::InternalMove);
  custom_chain_->setToolTip(tr("Tick the stages to use; drag to reorder."));
  for (const std::string& stage : chain_stages()) add_chain_item(custom_chain_, stage, true);
  custom_chain_->setMaximumHeight(custom_chain_->sizeHintForRow(0) * custom_chain_->count() + 8);

  // The table, in its order: a slider per entry with a slider hint, and the
  // two choice boxes where their entries sit.
  const DecodeParams start = first_run_params();
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.name == "early_stopping") addChoiceBox(spec, early_stopping_);
    if (spec.name == "order") {
      addChoiceBox(spec, order_);
      layout_->addWidget(custom_chain_);
    }
    if (spec.slider.step <= 0) continue;
    auto* s = new SliderSpin(text_of(spec.label), spec.slider.lo, spec.slider.hi, spec.slider.step,
                             spec.slider.decimals, this);
    s->setValue(param_number(spec, start));
    s->setToolTipText(text_of(spec.help));
    layout_->addWidget(s);
    connect(s, &SliderSpin::valueChanged, this, &ControlsPanel::paramsChanged);
    if (spec.name == "num_beams" || spec.name == "num_samples") {
      connect(s, &SliderSpin::valueChanged, this, &ControlsPanel::limitReturnSequences);
    }
    sliders_.emplace_back(&spec, s);
  }
  early_stopping_->setCurrentIndex(early_stopping_->findData(int(start.early_stopping)));
  layout_->addStretch(1);

  connect(strategy_, &QComboBox::currentIndexChanged, this, [this] {
    updateEnabled();
    emit paramsChanged();
  });
  for (QComboBox* box : {early_stopping_, order_}) {
    connect(box, &QComboBox::currentIndexChanged, this, &ControlsPanel::paramsChanged);
  }
  connect(custom_chain_, &QListWidget::itemChanged, this, &ControlsPanel::paramsChanged);
  connect(custom_chain_->model(), &QAbstractItemModel::rowsMoved, this,
          &ControlsPanel::paramsChanged);
  strategy_->setCurrentIndex(strategy_->findData(int(StrategyPreset::Beam)));
  updateEnabled();
}

void ControlsPanel::addChoiceBox(const DecodeParamSpec& spec, QComboBox* box) {
  box->setToolTip(text_of(spec.help));
  auto* label = new QLabel(text_of(spec.label), this);
  label->setBuddy(box);
  layout_->addWidget(label);
  layout_->addWidget(box);
}

SliderSpin* ControlsPanel::slider(std::string_view name) const {
  for (const auto& [spec, s] : sliders_) {
    if (spec->name == name) return s;
  }
  return nullptr;
}

StrategyPreset ControlsPanel::preset() const {
  return static_cast<StrategyPreset>(strategy_->currentData().toInt());
}

void ControlsPanel::setPreset(StrategyPreset preset) {
  strategy_->setCurrentIndex(strategy_->findData(int(preset)));
}

std::vector<std::string> ControlsPanel::tickedStages() const {
  std::vector<std::string> out;
  for (int row = 0; row < custom_chain_->count(); ++row) {
    const QListWidgetItem* item = custom_chain_->item(row);
    if (item->checkState() == Qt::Checked) out.push_back(item->text().toStdString());
  }
  return out;
}

bool ControlsPanel::uses(const DecodeParamSpec& spec, bool ticked) const {
  const PresetInfo& p = info_of(preset());
  if (!spec.used_by.has(p.kind)) return false;
  if (spec.stage.empty()) return true;
  if (p.preset == StrategyPreset::Custom) {
    if (!ticked) return true;
    const std::vector<std::string> stages = tickedStages();
    return std::find(stages.begin(), stages.end(), spec.stage) != stages.end();
  }
  return !is_preset_stage(spec.stage) || spec.stage == p.stage;
}

void ControlsPanel::updateEnabled() {
  const StrategyPreset p = preset();
  const StrategyKind kind = info_of(p).kind;
  strategy_help_->setText(preset_help(p));
  for (const auto& [spec, s] : sliders_) s->setEnabled(uses(*spec, false));
  early_stopping_->setEnabled(decode_param_spec("early_stopping").used_by.has(kind));
  const bool custom = p == StrategyPreset::Custom;
  order_->setEnabled(decode_param_spec("order").used_by.has(kind) && !custom);
  custom_chain_->setVisible(custom);
  limitReturnSequences();
}

void ControlsPanel::limitReturnSequences() {
  SliderSpin* returned = slider("num_return_sequences");
  if (!returned) return;
  const DecodeParamSpec& spec = decode_param_spec("num_return_sequences");
  double limit = spec.slider.hi;
  const StrategyKind kind = info_of(preset()).kind;
  if (kind == StrategyKind::Beam) limit = std::min(limit, beamWidth()->value());
  if (kind == StrategyKind::Sample) limit = std::min(limit, numSamples()->value());
  if (returned->maximum() != limit) returned->setMaximum(limit);
}

DecodeParams ControlsPanel::params() const {
  const StrategyPreset p = preset();
  DecodeParams d;  // HF defaults: every stage the preset does not use stays off
  d.strategy = info_of(p).kind;
  for (const auto& [spec, s] : sliders_) {
    if (uses(*spec, true)) set_param_number(*spec, s->value(), d);
  }
  if (d.strategy == StrategyKind::Beam) {
    d.early_stopping = static_cast<EarlyStopping>(early_stopping_->currentData().toInt());
  }
  if (d.strategy == StrategyKind::Sample) {
    d.order = static_cast<ChainOrder>(order_->currentData().toInt());
    if (p == StrategyPreset::Custom) {
      d.order = ChainOrder::Custom;
      d.custom_order = tickedStages();
    }
  }
  // The return-sequences control is limited to what the run can return
  // (limitReturnSequences), so this is what it shows; the core refuses more.
  return d;
}

DecodeParams ControlsPanel::controlValues() const {
  DecodeParams d = params();
  for (const auto& [spec, s] : sliders_) set_param_number(*spec, s->value(), d);
  d.early_stopping = static_cast<EarlyStopping>(early_stopping_->currentData().toInt());
  if (d.order != ChainOrder::Custom) {
    d.order = static_cast<ChainOrder>(order_->currentData().toInt());
  }
  return d;
}

void ControlsPanel::setParams(const DecodeParams& d) {
  // One paramsChanged at the end, not one per control.
  {
    const QSignalBlocker block(this);
    StrategyPreset p = StrategyPreset::Greedy;
    if (d.strategy == StrategyKind::Beam) {
      p = StrategyPreset::Beam;
    } else if (d.strategy == StrategyKind::Sample) {
      if (d.order == ChainOrder::Custom) {
        p = StrategyPreset::Custom;
      } else if (d.min_p > 0) {
        p = StrategyPreset::MinP;
      } else if (d.top_p < 1) {
        p = StrategyPreset::TopP;
      } else {
        p = StrategyPreset::TopK;
      }
    }
    setPreset(p);
    // Free the return-sequences range while the values arrive in table order
    // (num_samples comes after it); it is limited again at the end.
    if (SliderSpin* returned = slider("num_return_sequences")) {
      returned->setMaximum(decode_param_spec("num_return_sequences").slider.hi);
    }
    const DecodeParams defaults;
    for (const auto& [spec, s] : sliders_) {
      const double value = param_number(*spec, d);
      // A preset's stage that is off keeps the slider's value, so switching
      // to that preset later still shows a threshold that cuts.
      if (is_preset_stage(spec->stage) && value == param_number(*spec, defaults)) continue;
      s->setValue(value);
    }
    early_stopping_->setCurrentIndex(early_stopping_->findData(int(d.early_stopping)));
    if (d.order != ChainOrder::Custom) order_->setCurrentIndex(order_->findData(int(d.order)));
    if (d.order == ChainOrder::Custom) {
      // Listed stages first, in order and ticked; the rest after, unticked.
      custom_chain_->clear();
      std::vector<std::string> rest = chain_stages();
      for (const std::string& s : d.custom_order) {
        add_chain_item(custom_chain_, s, true);
        rest.erase(std::remove(rest.begin(), rest.end(), s), rest.end());
      }
      for (const std::string& s : rest) add_chain_item(custom_chain_, s, false);
    }
    updateEnabled();
  }
  emit paramsChanged();
}

}  // namespace beamscope::ui
