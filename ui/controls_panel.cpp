#include "controls_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include "slider_spin.h"

namespace beamscope::ui {

namespace {
const char* const kChainStages[] = {"temperature", "top_k", "top_p", "min_p"};

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

  max_new_ = addSlider(tr("Max new tokens"), 1, 64, 1, 0, 8,
                       tr("How many tokens to generate at most (max_new_tokens)."));
  beams_ = addSlider(tr("Beam width"), 1, 16, 1, 0, 4,
                     tr("Number of beams kept at every step (num_beams)."));
  length_penalty_ = addSlider(tr("Length penalty"), -3, 3, 0.1, 1, 1.0,
                              tr("Finished beams are scored sum(log p) / length^penalty: "
                                 "above 0 favours longer answers."));
  early_stopping_ = new QComboBox(this);
  early_stopping_->addItem(tr("true: stop when beam width answers are done"),
                           int(EarlyStopping::True));
  early_stopping_->addItem(tr("false: stop when no beam can still win"), int(EarlyStopping::False));
  early_stopping_->addItem(tr("never: as false, assuming the longest length"),
                           int(EarlyStopping::Never));
  early_stopping_->setToolTip(tr("When beam search stops (early_stopping)."));
  auto* early_label = new QLabel(tr("Early stopping"), this);
  early_label->setBuddy(early_stopping_);
  layout_->addWidget(early_label);
  layout_->addWidget(early_stopping_);
  return_sequences_ = addSlider(tr("Return sequences"), 1, 16, 1, 0, 1,
                                tr("How many answers to return (num_return_sequences)."));
  temperature_ = addSlider(tr("Temperature"), 0, 3, 0.01, 2, 1.0,
                           tr("Divides the logits: below 1 sharpens, above 1 flattens."));
  top_k_ = addSlider(tr("Top-k"), 0, 200, 1, 0, 10, tr("Keep the k most likely tokens (0 = off)."));
  top_p_ = addSlider(tr("Top-p"), 0, 1, 0.01, 2, 0.9,
                     tr("Keep the smallest set with this much probability mass (1 = off)."));
  min_p_ = addSlider(tr("Min-p"), 0, 1, 0.01, 2, 0.1,
                     tr("Drop tokens below min-p × the top token's probability (0 = off)."));
  samples_ = addSlider(tr("Number of samples"), 1, 64, 1, 0, 8,
                       tr("Independent samples drawn; they share prefixes in one tree."));
  seed_ = addSlider(tr("Seed"), 0, 9999, 1, 0, 0,
                    tr("Random seed: the same seed gives the same samples."));
  repetition_penalty_ = addSlider(tr("Repetition penalty"), 0.5, 2.0, 0.01, 2, 1.0,
                                  tr("Penalises tokens already in the text (1 = off)."));
  order_ = new QComboBox(this);
  order_->addItem(tr("Hugging Face order (temperature first)"), int(ChainOrder::Hf));
  order_->addItem(tr("llama.cpp order (temperature last)"), int(ChainOrder::LlamaCpp));
  order_->setToolTip(tr("Where temperature sits in the sampler chain; the kept set can differ."));
  auto* order_label = new QLabel(tr("Stage order"), this);
  order_label->setBuddy(order_);
  layout_->addWidget(order_label);
  layout_->addWidget(order_);
  custom_chain_ = new QListWidget(this);
  custom_chain_->setDragDropMode(QAbstractItemView::InternalMove);
  custom_chain_->setToolTip(tr("Tick the stages to use; drag to reorder."));
  for (const char* stage : kChainStages) {
    auto* item = new QListWidgetItem(QString::fromLatin1(stage), custom_chain_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled);
    item->setCheckState(Qt::Checked);
  }
  custom_chain_->setMaximumHeight(custom_chain_->sizeHintForRow(0) * 4 + 8);
  layout_->addWidget(custom_chain_);
  alternatives_ = addSlider(tr("Alternatives per node"), 0, 20, 1, 0, 3,
                            tr("How many not-taken tokens to show under each node."));
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
  strategy_->setCurrentIndex(int(StrategyPreset::Beam));
  updateEnabled();
}

SliderSpin* ControlsPanel::addSlider(const QString& label, double lo, double hi, double step,
                                     int decimals, double value, const QString& tip) {
  auto* s = new SliderSpin(label, lo, hi, step, decimals, this);
  s->setValue(value);
  s->setToolTipText(tip);
  layout_->addWidget(s);
  connect(s, &SliderSpin::valueChanged, this, &ControlsPanel::paramsChanged);
  return s;
}

StrategyPreset ControlsPanel::preset() const {
  return static_cast<StrategyPreset>(strategy_->currentData().toInt());
}

void ControlsPanel::setPreset(StrategyPreset preset) {
  strategy_->setCurrentIndex(strategy_->findData(int(preset)));
}

void ControlsPanel::updateEnabled() {
  const StrategyPreset p = preset();
  const bool beam = p == StrategyPreset::Beam;
  const bool sampling = p != StrategyPreset::Greedy && p != StrategyPreset::Beam;
  const bool custom = p == StrategyPreset::Custom;
  strategy_help_->setText(preset_help(p));
  beams_->setEnabled(beam);
  length_penalty_->setEnabled(beam);
  early_stopping_->setEnabled(beam);
  return_sequences_->setEnabled(beam || sampling);
  temperature_->setEnabled(sampling);
  top_k_->setEnabled(p == StrategyPreset::TopK || custom);
  top_p_->setEnabled(p == StrategyPreset::TopP || custom);
  min_p_->setEnabled(p == StrategyPreset::MinP || custom);
  samples_->setEnabled(sampling);
  seed_->setEnabled(sampling);
  order_->setEnabled(sampling && !custom);
  custom_chain_->setVisible(custom);
}

DecodeParams ControlsPanel::params() const {
  DecodeParams d;
  const StrategyPreset p = preset();
  d.max_new_tokens = max_new_->intValue();
  d.repetition_penalty = repetition_penalty_->value();
  d.alternatives = alternatives_->intValue();
  switch (p) {
    case StrategyPreset::Greedy:
      d.strategy = StrategyKind::Greedy;
      break;
    case StrategyPreset::Beam:
      d.strategy = StrategyKind::Beam;
      d.num_beams = beams_->intValue();
      d.length_penalty = length_penalty_->value();
      d.early_stopping = static_cast<EarlyStopping>(early_stopping_->currentData().toInt());
      d.num_return_sequences = std::min(return_sequences_->intValue(), d.num_beams);
      break;
    case StrategyPreset::TopK:
    case StrategyPreset::TopP:
    case StrategyPreset::MinP:
    case StrategyPreset::Custom:
      d.strategy = StrategyKind::Sample;
      d.temperature = temperature_->value();
      d.num_samples = samples_->intValue();
      d.seed = static_cast<std::uint64_t>(seed_->intValue());
      d.num_return_sequences = std::min(return_sequences_->intValue(), d.num_samples);
      d.order = static_cast<ChainOrder>(order_->currentData().toInt());
      if (p == StrategyPreset::TopK) d.top_k = top_k_->intValue();
      if (p == StrategyPreset::TopP) d.top_p = top_p_->value();
      if (p == StrategyPreset::MinP) d.min_p = min_p_->value();
      if (p == StrategyPreset::Custom) {
        d.order = ChainOrder::Custom;
        for (int row = 0; row < custom_chain_->count(); ++row) {
          const QListWidgetItem* item = custom_chain_->item(row);
          if (item->checkState() != Qt::Checked) continue;
          const std::string stage = item->text().toStdString();
          d.custom_order.push_back(stage);
          if (stage == "top_k") d.top_k = top_k_->intValue();
          if (stage == "top_p") d.top_p = top_p_->value();
          if (stage == "min_p") d.min_p = min_p_->value();
        }
        // Temperature unticked means it plays no part.
        if (std::find(d.custom_order.begin(), d.custom_order.end(), "temperature") ==
            d.custom_order.end()) {
          d.temperature = 1.0;
        }
      }
      break;
  }
  return d;
}

DecodeParams ControlsPanel::controlValues() const {
  DecodeParams d = params();
  d.num_beams = beams_->intValue();
  d.length_penalty = length_penalty_->value();
  d.early_stopping = static_cast<EarlyStopping>(early_stopping_->currentData().toInt());
  d.num_return_sequences = return_sequences_->intValue();
  d.temperature = temperature_->value();
  d.top_k = top_k_->intValue();
  d.top_p = top_p_->value();
  d.min_p = min_p_->value();
  d.num_samples = samples_->intValue();
  d.seed = static_cast<std::uint64_t>(seed_->intValue());
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
    max_new_->setValue(d.max_new_tokens);
    beams_->setValue(d.num_beams);
    length_penalty_->setValue(d.length_penalty);
    early_stopping_->setCurrentIndex(early_stopping_->findData(int(d.early_stopping)));
    return_sequences_->setValue(d.num_return_sequences);
    temperature_->setValue(d.temperature);
    if (d.top_k > 0) top_k_->setValue(d.top_k);
    if (d.top_p < 1) top_p_->setValue(d.top_p);
    if (d.min_p > 0) min_p_->setValue(d.min_p);
    samples_->setValue(d.num_samples);
    seed_->setValue(static_cast<double>(d.seed % 10000));
    repetition_penalty_->setValue(d.repetition_penalty);
    if (d.order != ChainOrder::Custom) order_->setCurrentIndex(order_->findData(int(d.order)));
    alternatives_->setValue(d.alternatives);
    if (d.order == ChainOrder::Custom) {
      // Listed stages first, in order and ticked; the rest after, unticked.
      custom_chain_->clear();
      std::vector<std::string> rest(std::begin(kChainStages), std::end(kChainStages));
      for (const std::string& s : d.custom_order) {
        auto* item = new QListWidgetItem(QString::fromStdString(s), custom_chain_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled);
        item->setCheckState(Qt::Checked);
        rest.erase(std::remove(rest.begin(), rest.end(), s), rest.end());
      }
      for (const std::string& s : rest) {
        auto* item = new QListWidgetItem(QString::fromStdString(s), custom_chain_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled);
        item->setCheckState(Qt::Unchecked);
      }
    }
    updateEnabled();
  }
  emit paramsChanged();
}

}  // namespace beamscope::ui
