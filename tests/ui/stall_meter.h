#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>

// Measures how long the GUI thread's event loop goes without turning: a
// precise timer asks to tick every `interval_ms`; the longest gap between
// ticks (and from start to the first tick, and from the last tick to stop)
// is the longest stall a user would have felt as a frozen window.
class StallMeter {
 public:
  explicit StallMeter(int interval_ms = 5) {
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(interval_ms);
    QObject::connect(&timer_, &QTimer::timeout, [this] { tick(); });
  }

  void start() {
    longest_ms_ = 0;
    ticks_ = 0;
    clock_.start();
    last_ms_ = 0;
    timer_.start();
  }
  void stop() {
    timer_.stop();
    tick();  // the stretch after the last tick counts too
    --ticks_;
  }

  qint64 longestStallMs() const { return longest_ms_; }
  int ticks() const { return ticks_; }
  qint64 elapsedMs() const { return clock_.elapsed(); }

 private:
  void tick() {
    const qint64 now = clock_.elapsed();
    longest_ms_ = std::max(longest_ms_, now - last_ms_);
    last_ms_ = now;
    ++ticks_;
  }

  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ms_ = 0;
  qint64 longest_ms_ = 0;
  int ticks_ = 0;
};
