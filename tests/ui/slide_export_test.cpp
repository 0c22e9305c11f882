// Exports for slides: page shapes, the tree laid out and scaled for the page
// (a beam-5, 8-token tree fills a 16:9 slide legibly at 1920×1080), views
// that fold what was not kept, and a legend of only the looks drawn.
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "model/model_folder.h"
#include "sample_trees.h"
#include "tree_renderer.h"
#include "tree_scene.h"
#include "util/error.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {

bool bundled_model_present() {
  std::error_code ec;
  return std::filesystem::is_regular_file(bundled_model_dir() / "model.safetensors", ec);
}

// Beam search on the bundled model, as a lecturer would show it.
TokenTree beam_tree(int beams, int tokens) {
  LoadedModel loaded = load_model(bundled_model_dir());
  LogitsCache cache;
  Decoder decoder(*loaded.model, *loaded.tokenizer, loaded.info.eos_ids, cache);
  DecodeParams params;
  params.strategy = StrategyKind::Beam;
  params.num_beams = beams;
  params.max_new_tokens = tokens;
  return decoder.run(loaded.tokenizer->encode("The cat sat on the"), params).tree;
}

// The box around every pixel that differs from the corner's background.
QRect ink_box(const QImage& image) {
  const QRgb background = image.pixel(0, 0);
  int left = image.width(), right = -1, top = image.height(), bottom = -1;
  for (int y = 0; y < image.height(); ++y) {
    const QRgb* row = reinterpret_cast<const QRgb*>(image.constScanLine(y));
    for (int x = 0; x < image.width(); ++x) {
      if (row[x] == background) continue;
      left = std::min(left, x);
      right = std::max(right, x);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
    }
  }
  return right < 0 ? QRect() : QRect(QPoint(left, top), QPoint(right, bottom));
}

}  // namespace

class SlideExportTest : public QObject {
  Q_OBJECT

 private slots:
  void pageShapes() {
    QCOMPARE(parse_page_shape(QStringLiteral("16:9")), QSizeF(960, 540));
    QCOMPARE(parse_page_shape(QStringLiteral("4:3")), QSizeF(720, 540));
    QCOMPARE(parse_page_shape(QStringLiteral("A4")), QSizeF(842, 595));
    QCOMPARE(parse_page_shape(QStringLiteral("1920x1080")), QSizeF(1920, 1080));
    for (const char* bad : {"16:10", "0x100", "99x500", "x", "1920x1080x2", ""}) {
      QVERIFY_THROWS_EXCEPTION(Error, parse_page_shape(QString::fromLatin1(bad)));
    }
  }

  // The case: beam 5, 8 tokens, exported at 16:9 and 2 px per point
  // (1920×1080). The tree must fill most of the slide and its text must stay
  // legible: tokens at least 16 px, measured on the page.
  void beamFiveFillsASixteenNineSlide() {
    if (!bundled_model_present()) QSKIP("bundled model not found");
    const TokenTree tree = beam_tree(5, 8);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("slide.png"));
    ExportOptions options;
    options.page = parse_page_shape(QStringLiteral("16:9"));
    options.png_scale = 2.0;
    options.view = TreeFilter::Kept;
    options.highlighted = tree.sequences.front().node;
    const ExportResult r = export_tree_image(tree, QStringLiteral("The cat sat on the"), path,
                                             ImageFormat::Png, options);
    const QImage image(path);
    QCOMPARE(image.size(), QSize(1920, 1080));
    const double cover_w = r.tree.width() / r.page.width();
    const double cover_h = r.tree.height() / r.page.height();
    const double token_px = r.token_px * options.png_scale;
    const double detail_px = token_px * 10.0 / 15.0;
    const QRect ink = ink_box(image);
    qInfo(
        "beam 5 at 16:9: tree box %.0f%% x %.0f%% of the slide, tokens %.1f px, details "
        "%.1f px, ink %d x %d px, %d nodes + %d stubs, %s",
        100 * cover_w, 100 * cover_h, token_px, detail_px, ink.width(), ink.height(), r.nodes_drawn,
        r.stubs_drawn,
        r.orientation == LayoutOrientation::LeftToRight ? "left to right" : "top to bottom");
    QVERIFY(std::max(cover_w, cover_h) >= 0.6);
    QVERIFY(std::max(ink.width() / 1920.0, ink.height() / 1080.0) >= 0.6);
    QVERIFY(token_px >= 16.0);
    // Everything drawn on the page stays on it.
    QVERIFY(QRectF(QPointF(0, 0), r.page).contains(r.tree));
    // The same tree with every node is far smaller on the slide.
    options.view = TreeFilter::Everything;
    const ExportResult all = export_tree_image(tree, QStringLiteral("The cat sat on the"), path,
                                               ImageFormat::Png, options);
    qInfo("everything at 16:9: tokens %.1f px", all.token_px * options.png_scale);
    QVERIFY(all.token_px < r.token_px);
  }

  // A larger font scale makes the text larger on the same page.
  void fontScaleGrowsText() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.svg"));
    ExportOptions options;
    options.page = QSizeF(960, 540);
    options.orientation = LayoutOrientation::LeftToRight;
    const ExportResult one =
        export_tree_image(test::beam_tree(), QStringLiteral("x"), path, ImageFormat::Svg, options);
    options.font_scale = 2.0;
    options.page = QSizeF(4000, 4000);  // room enough not to shrink it back
    const ExportResult two =
        export_tree_image(test::beam_tree(), QStringLiteral("x"), path, ImageFormat::Svg, options);
    QVERIFY(one.token_px > 0);
    QCOMPARE(one.page, QSizeF(960, 540));
    QVERIFY(two.token_px / two.fit_scale > 1.9 * one.token_px / one.fit_scale);
  }

  // The legend lists only the looks in the drawing; "all" lists every one.
  void legendListsOnlyWhatIsDrawn() {
    TokenTree tree;
    const int a = tree.add_child(0, 1, "a", -0.1);
    const int b = tree.add_child(a, 2, "b", -0.1);
    tree.node(a).status = NodeStatus::Selected;
    tree.node(b).status = NodeStatus::Returned;
    TreeScene scene;
    scene.setTree(std::make_shared<const TokenTree>(tree), QStringLiteral("p"));
    LegendItems items = legend_items_in(scene);
    QVERIFY(items.status[int(NodeStatus::Selected)]);
    QVERIFY(items.status[int(NodeStatus::Returned)]);
    QVERIFY(!items.status[int(NodeStatus::Pruned)]);
    QVERIFY(!items.status[int(NodeStatus::Alternative)]);
    QVERIFY(!items.forced && !items.stub && !items.highlight && !items.focus);
    const QSizeF some = legend_size(scene.treeStyle(), LegendOrientation::Horizontal, items);
    const QSizeF all = legend_size(scene.treeStyle(), LegendOrientation::Horizontal);
    QVERIFY(some.width() < all.width() / 2);
    scene.setHighlightedNode(b);
    QVERIFY(legend_items_in(scene).highlight);

    // With the legend off, the page is the drawing alone.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.png"));
    ExportOptions options;
    options.legend = false;
    const ExportResult bare =
        export_tree_image(tree, QStringLiteral("p"), path, ImageFormat::Png, options);
    QCOMPARE(bare.page, scene.sceneRect().size());
  }
};

QTEST_MAIN(SlideExportTest)
#include "slide_export_test.moc"
