#pragma once

#include <QObject>
#include <QUndoStack>
#include <functional>

#include "decoding_types.h"

namespace beamscope::ui {

// Undo and redo for the edits made to the run on screen: "what if" branches
// and their removal (Edit menu, Ctrl+Z / Ctrl+Shift+Z). Each step keeps the
// whole outcome before and after; snapshots are immutable and shared, so a
// step costs two pointers' worth of tree. A new run or an opened session
// starts a fresh history (clear()): its trees have nothing to undo to.
class EditHistory : public QObject {
  Q_OBJECT

 public:
  // `show` puts an outcome on screen (undo and redo call it).
  using ShowFn = std::function<void(const DecodeOutcome&)>;
  EditHistory(ShowFn show, QObject* parent);

  // Records an edit whose result `after` is already on screen.
  void record(const QString& text, const DecodeOutcome& before, const DecodeOutcome& after);
  void clear() { stack_.clear(); }
  QUndoStack* stack() { return &stack_; }

  // The outcome on screen before the branch at token path `path` was added
  // by a "what if" (the latest such step, done or undone), or nullptr.
  const DecodeOutcome* beforeBranch(const std::vector<std::int32_t>& path) const;

 private:
  ShowFn show_;
  QUndoStack stack_;
};

}  // namespace beamscope::ui
