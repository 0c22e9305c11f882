#include "export_controller.h"

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QInputDialog>
#include <QMimeData>
#include <QTemporaryDir>

#include "session_controller.h"
#include "settings_store.h"
#include "tree_renderer.h"
#include "tree_scene.h"
#include "tree_view.h"
#include "util/error.h"

namespace beamscope::ui {

ExportController::ExportController(SessionController* session, const TreeScene* scene,
                                   const TreeView* view, QWidget* parent)
    : QObject(parent), session_(session), scene_(scene), view_(view), parent_(parent) {}

ExportOptions ExportController::currentOptions(double png_scale) const {
  ExportOptions options;
  options.png_scale = png_scale;
  options.mode = scene_->probabilityMode();
  options.selected = scene_->selectedNode();
  options.highlighted = scene_->highlightedNode();
  options.max_step = scene_->maxStep();
  options.legend = view_->isLegendVisible();
  options.view = scene_->filter();
  options.orientation = scene_->orientation();
  if (!page_.isEmpty()) {
    options.page = parse_page_shape(page_);
    options.orientation.reset();  // laid out for the page
  }
  return options;
}

bool ExportController::exportTo(const QString& path, double png_scale) {
  if (!session_->tree()) {
    emit failed(tr("There is no tree to export yet; run the model first."));
    return false;
  }
  try {
    if (QFileInfo(path).suffix().toLower() == QLatin1String("json")) return session_->saveTo(path);
    const auto format = image_format_for(path);
    if (!format) throw Error("Export supports .png, .svg, .pdf and .json files.");
    const ExportOptions options = currentOptions(png_scale);
    export_tree_image(*session_->tree(), session_->promptText(), path, *format, options);
    emit status(tr("Exported %1.").arg(QDir::toNativeSeparators(path)));
    return true;
  } catch (const std::exception& e) {
    emit failed(QString::fromUtf8(e.what()));
    return false;
  }
}

bool ExportController::copyImage() {
  if (!session_->tree()) {
    emit failed(tr("There is no tree to copy yet; run the model first."));
    return false;
  }
  try {
    // The renderer writes files (through QSaveFile); a private folder that
    // goes away with this call holds the two drawings.
    QTemporaryDir dir;
    if (!dir.isValid()) throw Error("Copy Image could not create a temporary folder.");
    const ExportOptions options = currentOptions(2.0);
    const QString png = dir.filePath(QStringLiteral("tree.png"));
    const QString svg = dir.filePath(QStringLiteral("tree.svg"));
    export_tree_image(*session_->tree(), session_->promptText(), png, ImageFormat::Png, options);
    export_tree_image(*session_->tree(), session_->promptText(), svg, ImageFormat::Svg, options);
    QFile png_file(png);
    QFile svg_file(svg);
    if (!png_file.open(QIODevice::ReadOnly) || !svg_file.open(QIODevice::ReadOnly)) {
      throw Error("Copy Image could not read back the drawing it made.");
    }
    const QByteArray png_bytes = png_file.readAll();
    auto* mime = new QMimeData;
    mime->setImageData(QImage::fromData(png_bytes, "PNG"));
    mime->setData(QStringLiteral("image/png"), png_bytes);
    mime->setData(QStringLiteral("image/svg+xml"), svg_file.readAll());
    QGuiApplication::clipboard()->setMimeData(mime);
    emit status(tr("Copied the tree to the clipboard (PNG and SVG)."));
    return true;
  } catch (const std::exception& e) {
    emit failed(QString::fromUtf8(e.what()));
    return false;
  }
}

void ExportController::exportDialog() {
  QString selected;
  const QString path = QFileDialog::getSaveFileName(
      parent_, tr("Export"), settings::lastExportPath(),
      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf);;Session JSON (*.json)"),
      &selected);
  if (path.isEmpty()) return;
  settings::setLastExportPath(path);
  double scale = 2.0;
  if (image_format_for(path)) {
    // A slide-shaped page lays the tree out for the slide; "drawing size"
    // keeps the page the size of the tree.
    const QStringList pages{tr("Drawing size"), QStringLiteral("16:9"), QStringLiteral("4:3"),
                            QStringLiteral("a4")};
    bool ok = false;
    const QString page =
        QInputDialog::getItem(parent_, tr("Page"), tr("Page shape:"), pages,
                              std::max<qsizetype>(0, pages.indexOf(page_)), false, &ok);
    if (!ok) return;
    page_ = page == pages.front() ? QString() : page;
  }
  if (image_format_for(path) == ImageFormat::Png) {
    bool ok = false;
    scale = QInputDialog::getDouble(parent_, tr("PNG Scale"), tr("Pixels per point (2 = retina):"),
                                    settings::exportScale(), 0.25, 8.0, 2, &ok);
    if (!ok) return;
    settings::setExportScale(scale);
  }
  exportTo(path, scale);  // a failure is in the message bar
}

}  // namespace beamscope::ui
