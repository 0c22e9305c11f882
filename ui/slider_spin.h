#pragma once

#include <QWidget>

class QSlider;
class QDoubleSpinBox;
class QLabel;

namespace beamscope::ui {

// A slider for quick exploration with an exact spin box beside it; both show
// one value. `decimals` 0 makes it an integer control.
class SliderSpin : public QWidget {
  Q_OBJECT

 public:
  SliderSpin(const QString& label, double minimum, double maximum, double step, int decimals,
             QWidget* parent = nullptr);

  double value() const;
  int intValue() const { return static_cast<int>(std::lround(value())); }
  void setValue(double value);
  QSlider* slider() const { return slider_; }
  QDoubleSpinBox* spinBox() const { return spin_; }
  QLabel* label() const { return label_; }
  void setToolTipText(const QString& text);
  // A tighter (or looser) top of the range; a value above it comes down to
  // it, visibly and with valueChanged.
  void setMaximum(double maximum);
  double maximum() const;

 signals:
  void valueChanged(double value);

 private:
  int toSlider(double value) const;
  double fromSlider(int position) const;

  QLabel* label_;
  QSlider* slider_;
  QDoubleSpinBox* spin_;
  double minimum_;
  double step_;
  bool syncing_ = false;
};

}  // namespace beamscope::ui
