#include "playback_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace beamscope::ui {

PlaybackBar::PlaybackBar(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 2, 6, 2);
  auto button = [this, layout](QStyle::StandardPixmap icon, const QString& text,
                               const QString& tip) {
    auto* b = new QToolButton(this);
    b->setIcon(style()->standardIcon(icon));
    b->setText(text);
    b->setToolTip(tip);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    layout->addWidget(b);
    return b;
  };
  reset_ = button(QStyle::SP_MediaSkipBackward, tr("Reset"), tr("Back to the prompt alone"));
  back_ = button(QStyle::SP_MediaSeekBackward, tr("Back"), tr("Hide the last step"));
  play_ = button(QStyle::SP_MediaPlay, tr("Play"), tr("Play the steps (Space)"));
  forward_ = button(QStyle::SP_MediaSeekForward, tr("Step"), tr("Show one more decoding step"));
  auto* speed_label = new QLabel(tr("Speed"), this);
  layout->addWidget(speed_label);
  speed_ = new QSlider(Qt::Horizontal, this);
  speed_->setRange(1, 10);  // steps per 5 s … 5 per second
  speed_->setValue(4);
  speed_->setMaximumWidth(120);
  speed_->setMinimumWidth(80);  // a narrow window squeezed it to a knob
  speed_->setToolTip(tr("Playback speed"));
  speed_label->setBuddy(speed_);
  layout->addWidget(speed_);
  label_ = new QLabel(this);
  label_->setMinimumWidth(110);
  layout->addWidget(label_);
  layout->addStretch(1);

  timer_ = new QTimer(this);
  connect(timer_, &QTimer::timeout, this, [this] {
    if (step_ >= depth_) {
      timer_->stop();
      refresh();
      return;
    }
    setStep(step_ + 1);
  });
  connect(speed_, &QSlider::valueChanged, this, [this] { timer_->setInterval(intervalMs()); });
  connect(reset_, &QToolButton::clicked, this, &PlaybackBar::reset);
  connect(back_, &QToolButton::clicked, this, &PlaybackBar::stepBack);
  connect(forward_, &QToolButton::clicked, this, &PlaybackBar::stepForward);
  connect(play_, &QToolButton::clicked, this, &PlaybackBar::togglePlay);
  timer_->setInterval(intervalMs());
  refresh();
}

int PlaybackBar::intervalMs() const { return 2200 / speed_->value(); }

bool PlaybackBar::isPlaying() const { return timer_->isActive(); }

void PlaybackBar::setDepth(int depth) {
  timer_->stop();
  depth_ = std::max(0, depth);
  step_ = depth_;
  refresh();
}

void PlaybackBar::setStep(int step) {
  step = std::clamp(step, 0, depth_);
  if (step == step_) {
    refresh();
    return;
  }
  step_ = step;
  refresh();
  emit stepChanged(step_);
}

void PlaybackBar::stepForward() { setStep(step_ + 1); }
void PlaybackBar::stepBack() {
  timer_->stop();
  setStep(step_ - 1);
}
void PlaybackBar::reset() {
  timer_->stop();
  setStep(0);
}

void PlaybackBar::togglePlay() {
  if (timer_->isActive()) {
    timer_->stop();
  } else {
    if (step_ >= depth_) setStep(0);  // play from the start after the end
    timer_->start();
  }
  refresh();
}

void PlaybackBar::refresh() {
  const bool playing = timer_->isActive();
  play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  play_->setText(playing ? tr("Pause") : tr("Play"));
  back_->setEnabled(step_ > 0);
  reset_->setEnabled(step_ > 0);
  forward_->setEnabled(step_ < depth_);
  play_->setEnabled(depth_ > 0);
  label_->setText(tr("step %1 of %2").arg(step_).arg(depth_));
}

}  // namespace beamscope::ui
