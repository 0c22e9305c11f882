#pragma once

#include <QObject>
#include <QString>

class QWidget;

namespace beamscope::ui {

struct ExportOptions;
class SessionController;
class TreeScene;
class TreeView;

// File › Export: the tree as PNG, SVG or PDF as the view shows it
// (probability mode, view filter, selection, highlight, playback step,
// legend), optionally laid out for a slide-shaped page, or as a session JSON. Remembers the last
// file and PNG scale (settings_store).
class ExportController : public QObject {
  Q_OBJECT

 public:
  // `session` holds the tree and saves .json; `scene` and `view` say how
  // it is shown; `parent` parents the dialogs.
  ExportController(SessionController* session, const TreeScene* scene, const TreeView* view,
                   QWidget* parent);

  // Throws nothing: a failure is emitted as `failed` and returned as false.
  bool exportTo(const QString& path, double png_scale = 2.0);
  // "16:9", "4:3", "a4", "WxH", or empty for a page the drawing's size.
  void setPageShape(const QString& page) { page_ = page; }
  void exportDialog();
  // Edit › Copy Image: the tree as Export would draw it (same renderer, same
  // options), put on the clipboard as PNG and as SVG (image/svg+xml), so it
  // pastes as a picture into slides and as a drawing into vector editors.
  bool copyImage();

 signals:
  void failed(const QString& message);
  void status(const QString& message);

 private:
  // How the view shows the tree now, for the renderer.
  ExportOptions currentOptions(double png_scale) const;

  SessionController* session_;
  const TreeScene* scene_;
  const TreeView* view_;
  QWidget* parent_;
  QString page_;  // page shape of image exports (export_page.h); empty = the drawing's size
};

}  // namespace beamscope::ui
