#include "slider_spin.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QSlider>
#include <cmath>

namespace beamscope::ui {

SliderSpin::SliderSpin(const QString& label, double minimum, double maximum, double step,
                       int decimals, QWidget* parent)
    : QWidget(parent), minimum_(minimum), step_(step) {
  label_ = new QLabel(label, this);
  slider_ = new QSlider(Qt::Horizontal, this);
  spin_ = new QDoubleSpinBox(this);
  slider_->setRange(0, toSlider(maximum));
  slider_->setPageStep(std::max(1, slider_->maximum() / 10));
  spin_->setRange(minimum, maximum);
  spin_->setDecimals(decimals);
  spin_->setSingleStep(step);
  spin_->setKeyboardTracking(false);  // typing "0.95" must not fire for "0" and "0.9"
  spin_->setAlignment(Qt::AlignRight);
  spin_->setMinimumWidth(72);
  label_->setBuddy(spin_);

  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setHorizontalSpacing(6);
  grid->setVerticalSpacing(0);
  grid->addWidget(label_, 0, 0, 1, 2);
  grid->addWidget(slider_, 1, 0);
  grid->addWidget(spin_, 1, 1);
  grid->setColumnStretch(0, 1);

  connect(slider_, &QSlider::valueChanged, this, [this](int position) {
    if (syncing_) return;
    syncing_ = true;
    spin_->setValue(fromSlider(position));
    syncing_ = false;
    emit valueChanged(spin_->value());
  });
  connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (syncing_) return;
    syncing_ = true;
    slider_->setValue(toSlider(v));
    syncing_ = false;
    emit valueChanged(v);
  });
}

int SliderSpin::toSlider(double value) const {
  return static_cast<int>(std::lround((value - minimum_) / step_));
}

double SliderSpin::fromSlider(int position) const { return minimum_ + position * step_; }

double SliderSpin::value() const { return spin_->value(); }

void SliderSpin::setValue(double value) { spin_->setValue(value); }

void SliderSpin::setMaximum(double maximum) {
  // The spin box first: it clamps the value and, through its valueChanged,
  // moves the slider while the slider's old range still holds it.
  spin_->setMaximum(maximum);
  slider_->setMaximum(toSlider(maximum));
}

double SliderSpin::maximum() const { return spin_->maximum(); }

void SliderSpin::setToolTipText(const QString& text) {
  label_->setToolTip(text);
  slider_->setToolTip(text);
  spin_->setToolTip(text);
}

}  // namespace beamscope::ui
