#pragma once

#include <QObject>
#include <QString>

#include "decoding_types.h"

class QWidget;

namespace beamscope::ui {

class DecodingService;

// The document: the run on screen (its tree, prompt, prompt ids and
// parameters) and its session file. Saving writes it with the model in use;
// opening reads a file, refuses parameters no run could have used, and hands
// the run to the window with `opened` (nothing is re-run: the tree is the
// record). Errors are sentences for the message bar, never dialogs.
class SessionController : public QObject {
  Q_OBJECT

 public:
  // `service` names the model in use; `parent` parents the file dialogs.
  SessionController(const DecodingService* service, QWidget* parent);

  const DecodeOutcome& current() const { return current_; }
  const TreeSnapshot& tree() const { return current_.tree; }
  QString promptText() const { return current_.prompt_text; }
  // A run (or part of one) arrived, or its tree was edited.
  void setCurrent(const DecodeOutcome& outcome) { current_ = outcome; }
  void setTree(TreeSnapshot tree) { current_.tree = std::move(tree); }

  // Both throw nothing: a failure is emitted as `failed` and returned as false.
  bool saveTo(const QString& path);
  bool openFrom(const QString& path);
  void saveDialog();
  void openDialog();

 signals:
  // A session was read; the window shows it (current() is already it).
  void opened(const DecodeOutcome& outcome);
  // Something the user should know about an opened file (after `opened`).
  void notice(const QString& message);
  void failed(const QString& message);
  // One line for the status bar ("Saved …").
  void status(const QString& message);

 private:
  const DecodingService* service_;
  QWidget* parent_;
  DecodeOutcome current_;
};

}  // namespace beamscope::ui
