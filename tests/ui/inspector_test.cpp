// The inspector and its stage chart on a hand-built node: the path text and
// table, one chart column per stage, and a painted chart that shows kept
// (blue) and removed (hatched red) candidates and the min-p threshold line.
#include <QImage>
#include <QTableWidget>
#include <QtTest>

#include "distribution_chart.h"
#include "inspector_widget.h"
#include "sample_trees.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
int count_pixels(const QImage& image, const std::function<bool(QColor)>& match) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) n += match(QColor(image.pixel(x, y)));
  }
  return n;
}
}  // namespace

class InspectorTest : public QObject {
  Q_OBJECT

 private slots:
  void pathTextAndTable() {
    InspectorWidget inspector;
    auto tree = std::make_shared<const TokenTree>(test::beam_tree());
    // " mat" "." "<|endoftext|>": the returned sequence.
    inspector.setNode(tree, QStringLiteral("The cat sat on the"), tree->sequences[0].node);
    QCOMPARE(inspector.pathText(), QStringLiteral("The cat sat on the mat.<|endoftext|>"));
    QTableWidget* table = inspector.pathTable();
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(table->item(1, 1)->text(), QStringLiteral("␣mat"));
    QCOMPARE(table->item(1, 2)->text(), QStringLiteral("0.42"));
    QCOMPARE(table->item(2, 3)->text(), QStringLiteral("0.26"));  // 0.42 × 0.61
    QCOMPARE(table->item(3, 5)->text(), QStringLiteral("returned"));
    inspector.setNode(tree, QString(), -1);
    QCOMPARE(inspector.pathText(), QString());
  }

  void chartHasAColumnPerStageAndDrawsTheCuts() {
    DistributionChart chart;
    auto tree = std::make_shared<const TokenTree>(test::beam_tree());
    chart.setNode(tree, 0);
    QCOMPARE(chart.stageCount(), 3);  // temperature, top_k, min_p
    QCOMPARE(chart.rowCount(), 6);  // 5 listed + the rest
    chart.resize(620, chart.sizeHint().height());
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    chart.setPalette(light);
    const QImage image = chart.grab().toImage();
    const int blue = count_pixels(image, [](QColor c) { return c == QColor(0x2B, 0x6C, 0xC4); });
    const int red = count_pixels(
        image, [](QColor c) { return c.red() > 150 && c.green() < 100 && c.blue() < 100; });
    const int amber = count_pixels(image, [](QColor c) { return c == QColor(0xC7, 0x7C, 0x02); });
    QVERIFY2(blue > 200, qPrintable(QString::number(blue)));   // kept bars
    QVERIFY2(red > 20, qPrintable(QString::number(red)));      // top-k removed 2 of 5
    QVERIFY2(amber > 20, qPrintable(QString::number(amber)));  // min-p threshold line
    // A node without a distribution draws the hint, not bars.
    chart.setNode(tree, 3);
    QCOMPARE(chart.rowCount(), 0);
    const QImage empty = chart.grab().toImage();
    QCOMPARE(count_pixels(empty, [](QColor c) { return c == QColor(0x2B, 0x6C, 0xC4); }), 0);
  }
};

QTEST_MAIN(InspectorTest)
#include "inspector_test.moc"
