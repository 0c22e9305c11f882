#pragma once

#include <QObject>
#include <QString>
#include <functional>

class QMimeData;
class QWidget;

namespace beamscope::ui {

// Dropping a file on the window opens it: a session (.json) as File › Open
// Session would, a model folder or a .gguf file as a model. Watches the
// window and the widgets that would otherwise swallow drops (the tree view's
// viewport) through an event filter, so the window class stays small.
class DropOpener : public QObject {
  Q_OBJECT

 public:
  using Open = std::function<void(const QString& path)>;
  DropOpener(Open open_session, Open open_model, QObject* parent);

  // Accept drops on `widget` and handle them here.
  void watch(QWidget* widget);

  // What a drop of `mime` would open: {path, true for a session} or an empty
  // path when it holds nothing Beamscope opens.
  static std::pair<QString, bool> target(const QMimeData* mime);
  // Opens what `mime` holds; false when nothing in it can be opened.
  bool drop(const QMimeData* mime);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  Open open_session_;
  Open open_model_;
};

}  // namespace beamscope::ui
