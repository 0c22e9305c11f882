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

LegendItems legend_items_in(const TreeScene& scene) {
  LegendItems items;
  for (bool& s : items.status) s = false;
  items.forced = false;
  const auto& tree = scene.tree();
  const int n = tree ? tree->size() : 0;
  for (int id = 1; id < n; ++id) {
    if (!scene.isNodeVisible(id)) continue;
    const TreeNode& node = tree->node(id);
    items.status[static_cast<int>(shown_status(node.status, scene.isUndecided()))] = true;
    items.forced = items.forced || node.forced;
  }
  items.edge = scene.visibleNodeCount() > 1;
  items.highlight = scene.isNodeVisible(scene.highlightedNode());
  items.focus = scene.isNodeVisible(scene.selectedNode());
  items.stub = !scene.filteredTree().stubs.empty();
  items.undecided = scene.isUndecided();
  return items;
}

PagePlan export_plan(const TreeScene& scene, const ExportOptions& options) {
  const QSizeF tree = scene.sceneRect().size();
  const LegendItems items = options.legend_all ? LegendItems::all() : legend_items_in(scene);
  const bool legend = options.legend && !items.empty();
  const TreeStyle& style = scene.treeStyle();
  if (options.page) {
    std::optional<QSizeF> across, down;
    if (legend) {
      across = legend_size(style, LegendOrientation::Horizontal, items);
      down = legend_size(style, LegendOrientation::Vertical, items);
    }
    PagePlan plan = plan_page(*options.page, tree, across, down);
    plan.orientation = scene.orientation();
    return plan;
  }
  // No page: the drawing at its own size, the legend across the top.
  PagePlan plan;
  plan.orientation = scene.orientation();
  plan.page = tree;
  qreal top = 0;
  if (legend) {
    const QSizeF l = legend_size(style, LegendOrientation::Horizontal, items);
    plan.legend = LegendOrientation::Horizontal;
    plan.legend_at = QPointF(kPageMargin, kPageMargin);
    plan.page.setWidth(std::max(plan.page.width(), l.width() + 2 * kPageMargin));
    plan.page.setHeight(plan.page.height() + l.height() + kPageMargin);
    top = l.height() + kPageMargin;
  }
  plan.tree = QRectF(QPointF(0, top), tree);
  return plan;
}

void paint_export_page(QPainter& painter, TreeScene& scene, const PagePlan& plan,
                       const LegendItems& items) {
  painter.fillRect(QRectF(QPointF(0, 0), plan.page), scene.treeStyle().background);
  painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  if (plan.legend) paint_legend(painter, plan.legend_at, scene.treeStyle(), *plan.legend, items);
  // The background is already painted; render the items only.
  const QBrush background = scene.backgroundBrush();
  scene.setBackgroundBrush(Qt::NoBrush);
  scene.render(&painter, plan.tree, scene.sceneRect(), Qt::KeepAspectRatio);
  scene.setBackgroundBrush(background);
}

ExportResult export_tree_image(const TokenTree& tree, const QString& prompt_text,
                               const QString& path, ImageFormat format,
                               const ExportOptions& options) {
  if (!(options.png_scale > 0.0 && options.png_scale <= 16.0)) {
    throw Error("The PNG scale must be greater than 0 and at most 16.");
  }
  if (!(options.font_scale >= 0.25 && options.font_scale <= 8.0)) {
    throw Error("The font scale must be from 0.25 to 8.");
  }
  TreeScene scene;
  const double s = options.font_scale;
  scene.setTreeStyle(options.dark ? TreeStyle::dark_style(s) : TreeStyle::light(s));
  scene.setProbabilityMode(options.mode);
  scene.setMaxStep(options.max_step);
  scene.setFilter(options.view, options.focus >= 0 ? options.focus : options.highlighted);
  scene.setTree(std::make_shared<const TokenTree>(tree), prompt_text);
  scene.selectNode(options.selected);
  scene.setHighlightedNode(options.highlighted);
  // Laid out for the page: the orientation that lets the tree be drawn larger.
  scene.setOrientation(options.orientation.value_or(LayoutOrientation::LeftToRight));
  PagePlan plan = export_plan(scene, options);
  if (options.page && !options.orientation) {
    scene.setOrientation(LayoutOrientation::TopToBottom);
    const PagePlan down = export_plan(scene, options);
    if (down.scale > plan.scale) {
      plan = down;
    } else {
      scene.setOrientation(LayoutOrientation::LeftToRight);
    }
  }
  const LegendItems items = options.legend_all ? LegendItems::all() : legend_items_in(scene);
  const QSizeF page = plan.page;
  ExportResult result;
  result.page = page;
  result.fit_scale = plan.tree.width() / scene.sceneRect().width();
  const QRectF scene_rect = scene.sceneRect();
  const QRectF tree_box = scene.treeRect();
  result.tree =
      QRectF(plan.tree.topLeft() + (tree_box.topLeft() - scene_rect.topLeft()) * result.fit_scale,
             tree_box.size() * result.fit_scale);
  result.token_px = scene.treeStyle().token_font.pixelSize() * result.fit_scale;
  result.orientation = scene.orientation();
  result.nodes_drawn = scene.visibleNodeCount();
  result.stubs_drawn = static_cast<int>(scene.filteredTree().stubs.size());

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
        paint_export_page(painter, scene, plan, items);
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
      paint_export_page(painter, scene, plan, items);
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
      paint_export_page(painter, scene, plan, items);
      painter.end();
      break;
    }
  }
  commit(file, path);
  return result;
}

}  // namespace beamscope::ui
