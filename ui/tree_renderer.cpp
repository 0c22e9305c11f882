#include "tree_renderer.h"

#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <cmath>

#include "legend_painter.h"
#include "tree_scene.h"
#include "util/error.h"

namespace beamscope::ui {

namespace {

constexpr qreal kPageMargin = 16.0;
// Raster exports are capped so a 20k-node tree at scale 4 cannot ask for
// gigabytes; the caller hears about it instead of a crash.
constexpr qint64 kMaxPixels = 400LL * 1000 * 1000;

[[noreturn]] void fail(const QString& path, const QString& what) {
  throw Error(QStringLiteral("Cannot write '%1': %2.").arg(path, what).toStdString());
}

void commit(QSaveFile& file, const QString& path) {
  if (!file.commit()) fail(path, file.errorString());
}

}  // namespace

std::optional<ImageFormat> image_format_for(const QString& path) {
  const QString ext = QFileInfo(path).suffix().toLower();
  if (ext == QLatin1String("png")) return ImageFormat::Png;
  if (ext == QLatin1String("svg")) return ImageFormat::Svg;
  if (ext == QLatin1String("pdf")) return ImageFormat::Pdf;
  return std::nullopt;
}

QSizeF export_page_size(const TreeScene& scene, bool legend) {
  const QRectF tree = scene.sceneRect();
  QSizeF size = tree.size();
  if (legend) {
    const QSizeF l = legend_size(scene.treeStyle(), LegendOrientation::Horizontal);
    size.setWidth(std::max(size.width(), l.width() + 2 * kPageMargin));
    size.setHeight(size.height() + l.height() + kPageMargin);
  }
  return size;
}

void paint_export_page(QPainter& painter, TreeScene& scene, bool legend) {
  const QSizeF page = export_page_size(scene, legend);
  painter.fillRect(QRectF(QPointF(0, 0), page), scene.treeStyle().background);
  painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  qreal top = 0;
  if (legend) {
    paint_legend(painter, QPointF(kPageMargin, kPageMargin), scene.treeStyle(),
                 LegendOrientation::Horizontal);
    top = legend_size(scene.treeStyle(), LegendOrientation::Horizontal).height() + kPageMargin;
  }
  const QRectF source = scene.sceneRect();
  const QRectF target(0, top, source.width(), source.height());
  // The background is already painted; render items only at 1:1 scale.
  const QBrush background = scene.backgroundBrush();
  scene.setBackgroundBrush(Qt::NoBrush);
  scene.render(&painter, target, source, Qt::KeepAspectRatio);
  scene.setBackgroundBrush(background);
}

QSizeF export_tree_image(const TokenTree& tree, const QString& prompt_text, const QString& path,
                         ImageFormat format, const ExportOptions& options) {
  if (!(options.png_scale > 0.0 && options.png_scale <= 16.0)) {
    throw Error("The PNG scale must be greater than 0 and at most 16.");
  }
  TreeScene scene;
  scene.setTreeStyle(options.dark ? TreeStyle::dark_style() : TreeStyle::light());
  scene.setProbabilityMode(options.mode);
  scene.setMaxStep(options.max_step);
  scene.setTree(std::make_shared<const TokenTree>(tree), prompt_text);
  scene.selectNode(options.selected);
  scene.setHighlightedNode(options.highlighted);
  const QSizeF page = export_page_size(scene, options.legend);

  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) fail(path, file.errorString());
  switch (format) {
    case ImageFormat::Png: {
      const QSize pixels(static_cast<int>(std::ceil(page.width() * options.png_scale)),
                         static_cast<int>(std::ceil(page.height() * options.png_scale)));
      if (qint64(pixels.width()) * pixels.height() > kMaxPixels) {
        fail(path,
             QStringLiteral("a %1×%2 pixel image is too large; use a smaller scale or SVG/PDF")
                 .arg(pixels.width())
                 .arg(pixels.height()));
      }
      QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
      if (image.isNull()) fail(path, QStringLiteral("out of memory for the image"));
      {
        QPainter painter(&image);
        painter.scale(options.png_scale, options.png_scale);
        paint_export_page(painter, scene, options.legend);
      }
      if (!image.save(&file, "PNG")) fail(path, QStringLiteral("the PNG encoder failed"));
      break;
    }
    case ImageFormat::Svg: {
      QSvgGenerator svg;
      svg.setOutputDevice(&file);
      svg.setSize(page.toSize());
      svg.setViewBox(QRectF(QPointF(0, 0), page));
      svg.setTitle(QStringLiteral("Beamscope token tree"));
      svg.setDescription(prompt_text);
      QPainter painter;
      if (!painter.begin(&svg)) fail(path, QStringLiteral("the SVG writer could not start"));
      paint_export_page(painter, scene, options.legend);
      painter.end();
      break;
    }
    case ImageFormat::Pdf: {
      QPdfWriter pdf(&file);
      // One page the size of the drawing, 1 scene unit = 1 pt, so text stays
      // text at the same size as on screen.
      pdf.setResolution(72);
      pdf.setPageSize(QPageSize(page, QPageSize::Point, QString(), QPageSize::ExactMatch));
      pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
      pdf.setTitle(QStringLiteral("Beamscope token tree"));
      pdf.setCreator(QStringLiteral("Beamscope"));
      QPainter painter;
      if (!painter.begin(&pdf)) fail(path, QStringLiteral("the PDF writer could not start"));
      paint_export_page(painter, scene, options.legend);
      painter.end();
      break;
    }
  }
  commit(file, path);
  return page;
}

}  // namespace beamscope::ui
