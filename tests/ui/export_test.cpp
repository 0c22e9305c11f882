// Image export (the one renderer the GUI and `beamscope-cli render` share):
// PNG decodes and shows the tree, SVG parses and keeps the tokens as text,
// PDF is a vector page with embedded fonts, and bad targets fail cleanly.
#include <QFile>
#include <QImage>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include "sample_trees.h"
#include "tree_renderer.h"
#include "util/error.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
// Number of distinct colours in a coarse sample: a blank page has 1.
int distinct_colours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 3) {
    for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
  }
  return static_cast<int>(colours.size());
}
}  // namespace

class ExportTest : public QObject {
  Q_OBJECT

 private slots:
  void pngAtChosenScale() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tree.png"));
    ExportOptions options;
    options.png_scale = 1.0;
    const QSizeF page = export_tree_image(test::beam_tree(), QStringLiteral("The cat sat on the"),
                                          path, ImageFormat::Png, options)
                            .page;
    QImage one(path);
    QVERIFY(!one.isNull());
    QCOMPARE(one.width(), int(std::ceil(page.width())));
    QVERIFY(distinct_colours(one) > 20);
    // Corner pixel is the light background.
    QCOMPARE(QColor(one.pixel(1, one.height() - 2)), QColor(Qt::white));

    options.png_scale = 2.0;
    export_tree_image(test::beam_tree(), QStringLiteral("x"), path, ImageFormat::Png, options);
    QImage two(path);
    QCOMPARE(two.width(), int(std::ceil(page.width() * 2)));
  }

  void darkPng() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dark.png"));
    ExportOptions options;
    options.dark = true;
    options.png_scale = 1.0;
    export_tree_image(test::beam_tree(), QStringLiteral("x"), path, ImageFormat::Png, options);
    QImage image(path);
    QVERIFY(QColor(image.pixel(1, image.height() - 2)).lightnessF() < 0.3);
  }

  void svgParsesAndKeepsText() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tree.svg"));
    export_tree_image(test::beam_tree(), QStringLiteral("The cat sat on the"), path,
                      ImageFormat::Svg, ExportOptions{});
    QSvgRenderer renderer(path);
    QVERIFY(renderer.isValid());
    QVERIFY(renderer.viewBoxF().width() > 100);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(file.readAll());
    QVERIFY(svg.contains(QStringLiteral("<text")));
    QVERIFY(svg.contains(QStringLiteral("␣mat")));
    QVERIFY(svg.contains(QStringLiteral("returned")));  // legend
  }

  void pdfIsVector() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tree.pdf"));
    export_tree_image(test::beam_tree(), QStringLiteral("The cat sat on the"), path,
                      ImageFormat::Pdf, ExportOptions{});
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray pdf = file.readAll();
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    QVERIFY(pdf.contains("/Font"));             // text stays text
    QVERIFY(!pdf.contains("/Subtype /Image"));  // no rasterised page
    QVERIFY(pdf.size() > 2000);
  }

  void formatFromExtension() {
    QCOMPARE(image_format_for(QStringLiteral("a/B.PNG")), ImageFormat::Png);
    QCOMPARE(image_format_for(QStringLiteral("b.svg")), ImageFormat::Svg);
    QCOMPARE(image_format_for(QStringLiteral("c.pdf")), ImageFormat::Pdf);
    QVERIFY(!image_format_for(QStringLiteral("d.jpeg")).has_value());
  }

  void unwritableTargetIsAnError() {
    const QString path = QStringLiteral("/nonexistent-dir/tree.png");
    try {
      export_tree_image(test::beam_tree(), QStringLiteral("x"), path, ImageFormat::Png, {});
      QFAIL("expected beamscope::Error");
    } catch (const Error& e) {
      QVERIFY(QString::fromUtf8(e.what()).contains(path));
    }
  }

  void hugePngIsRefused() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.png"));
    ExportOptions options;
    options.png_scale = 16.0;
    QVERIFY_THROWS_EXCEPTION(Error, export_tree_image(test::big_tree(20000, 1), QStringLiteral("x"),
                                                      path, ImageFormat::Png, options));
    QVERIFY(!QFile::exists(path));
  }
};

QTEST_MAIN(ExportTest)
#include "export_test.moc"
