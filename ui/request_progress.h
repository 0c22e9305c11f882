#pragma once

#include <QObject>
#include <QString>

class QProgressBar;

namespace beamscope::ui {

class DecodingService;

// Issue 16: a step on a server waits on its requests (a beam of 8 is 8 of
// them, half a second each on a busy server), so the status bar's progress
// bar says which step waits on how many: "step 3: 5 of 8 requests
// answered", from the remote model's per-request progress. It goes away when
// the run ends; a local model's steps report nothing and leave the bar alone.
class RequestProgress : public QObject {
  Q_OBJECT

 public:
  RequestProgress(DecodingService* service, QProgressBar* bar, QObject* parent = nullptr);

  // What the bar says now; empty while it shows no server step.
  QString text() const;

 private:
  void show(int step, int answered, int asked);
  void hide();

  QProgressBar* bar_;
  QString text_;
};

}  // namespace beamscope::ui
