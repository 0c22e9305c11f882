#include "request_progress.h"

#include <QProgressBar>
#include <algorithm>

#include "decoding_service.h"

namespace beamscope::ui {

namespace {
// Wide enough for "step 64: 16 of 16 requests answered"; a model load's
// percentage gets the bar's usual width back.
constexpr int kWideBar = 300;
constexpr int kNarrowBar = 180;
}  // namespace

RequestProgress::RequestProgress(DecodingService* service, QProgressBar* bar, QObject* parent)
    : QObject(parent), bar_(bar) {
  connect(service, &DecodingService::requestProgress, this, &RequestProgress::show);
  connect(service, &DecodingService::decodeFinished, this, &RequestProgress::hide);
  connect(service, &DecodingService::decodeFailed, this, &RequestProgress::hide);
  connect(service, &DecodingService::busyChanged, this, [this](bool busy) {
    if (!busy) hide();
  });
}

QString RequestProgress::text() const { return text_; }

void RequestProgress::show(int step, int answered, int asked) {
  text_ = tr("step %1: %2 of %3 requests answered").arg(step).arg(answered).arg(asked);
  bar_->setMaximumWidth(kWideBar);
  bar_->setRange(0, std::max(1, asked));
  bar_->setValue(answered);
  // The format is taken literally but for %p/%v/%m: no percent signs here.
  bar_->setFormat(text_);
  bar_->setTextVisible(true);
  bar_->setVisible(true);
}

void RequestProgress::hide() {
  if (text_.isEmpty()) return;  // the bar is a model load's, or hidden already
  text_.clear();
  bar_->setVisible(false);
  bar_->setMaximumWidth(kNarrowBar);
  bar_->setRange(0, 100);
  bar_->resetFormat();
}

}  // namespace beamscope::ui
