#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace beamscope::ui {

// A non-modal strip above the tree for sentences the user must see: a model
// that would not load, a run that was refused, a tree that hit its node cap.
// Unlike a message box it never blocks the window (the previous tree stays
// usable beneath it), and unlike a status-bar message it does not time out:
// it stays until closed or until the next successful action clears it.
class MessageBar : public QFrame {
  Q_OBJECT

 public:
  enum class Kind { Error, Notice };

  explicit MessageBar(QWidget* parent = nullptr);

  void showMessage(const QString& text, Kind kind);
  void clearMessage();
  QString text() const;
  Kind kind() const { return kind_; }
  // Visible to the user: shown and holding a sentence.
  bool hasMessage() const;

 private:
  void applyPalette();

  QLabel* icon_;
  QLabel* label_;
  QToolButton* close_;
  Kind kind_ = Kind::Notice;
};

}  // namespace beamscope::ui
