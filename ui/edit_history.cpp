#include "edit_history.h"

#include "tree_paths.h"

namespace beamscope::ui {

namespace {

class EditCommand : public QUndoCommand {
 public:
  EditCommand(const QString& text, DecodeOutcome before, DecodeOutcome after,
              const EditHistory::ShowFn& show)
      : QUndoCommand(text), before_(std::move(before)), after_(std::move(after)), show_(show) {}

  void undo() override { show_(before_); }
  void redo() override {
    // QUndoStack::push calls redo at once; the edit is on screen already.
    if (!first_) show_(after_);
    first_ = false;
  }
  const DecodeOutcome& before() const { return before_; }
  const DecodeOutcome& after() const { return after_; }

 private:
  DecodeOutcome before_;
  DecodeOutcome after_;
  EditHistory::ShowFn show_;
  bool first_ = true;
};

// Whether `tree` has a forced node at `path`.
bool forced_at(const TokenTree& tree, const std::vector<std::int32_t>& path) {
  const int node = find_token_path(tree, path);
  return node > 0 && tree.node(node).forced;
}

}  // namespace

EditHistory::EditHistory(ShowFn show, QObject* parent) : QObject(parent), show_(std::move(show)) {}

void EditHistory::record(const QString& text, const DecodeOutcome& before,
                         const DecodeOutcome& after) {
  stack_.push(new EditCommand(text, before, after, show_));
}

const DecodeOutcome* EditHistory::beforeBranch(const std::vector<std::int32_t>& path) const {
  for (int i = stack_.count() - 1; i >= 0; --i) {
    const auto* step = static_cast<const EditCommand*>(stack_.command(i));
    if (!step->before().tree || !step->after().tree) continue;
    if (forced_at(*step->after().tree, path) && !forced_at(*step->before().tree, path)) {
      return &step->before();
    }
  }
  return nullptr;
}

}  // namespace beamscope::ui
