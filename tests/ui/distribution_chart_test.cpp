// The inspector's distribution chart: the top 20 rows plus one for the rest
// of the mass whatever the tree's alternatives, values to three significant
// digits, the top-p line after the row where the cumulative mass crosses p,
// removed tokens shown with their value struck, and no two labels overlapping
// at any width.
#include <QtTest>
#include <cmath>

#include "distribution_chart.h"
#include "token_display.h"

using namespace beamscope;
using namespace beamscope::ui;

namespace {
// 30 listed tokens; top-p 0.8 after temperature keeps the first 7 (the mass
// above row 7 is 0.76 < 0.8, above row 8 it is 0.81). Unlisted mass: 0.05.
std::shared_ptr<const TokenTree> top_p_tree() {
  TokenTree t;
  const int a = t.add_child(0, 1000, " the", std::log(0.2));
  t.node(a).status = NodeStatus::Selected;
  NextTokenDistribution d;
  std::vector<double> p = {0.20, 0.15, 0.13, 0.12, 0.10, 0.06, 0.05};
  while (p.size() < 30) p.push_back(0.14 / 23);
  StageCut temperature{"temperature", {}, std::nan(""), 50000};
  StageCut top_p{"top_p", {}, 0.81, 7};
  for (std::size_t i = 0; i < p.size(); ++i) {
    d.token_ids.push_back(std::int32_t(1000 + i));
    d.texts.push_back(i == 0 ? " the" : " w" + std::to_string(i));
    d.logprobs.push_back(float(std::log(p[i])));
    temperature.probs.push_back(float(p[i]));
    top_p.probs.push_back(i < 7 ? float(p[i] / 0.81) : 0.f);
  }
  d.stages = {temperature, top_p};
  t.node(0).next = d;
  return std::make_shared<const TokenTree>(std::move(t));
}
}  // namespace

class DistributionChartTest : public QObject {
  Q_OBJECT

 private slots:
  void valuesHaveThreeSignificantDigits() {
    QCOMPARE(format_probability_3(0.0123), QStringLiteral("0.0123"));
    QCOMPARE(format_probability_3(0.0114), QStringLiteral("0.0114"));
    QCOMPARE(format_probability_3(0.91234), QStringLiteral("0.912"));
    QCOMPARE(format_probability_3(0.09996), QStringLiteral("0.100"));
    QCOMPARE(format_probability_3(0.9996), QStringLiteral("1.00"));
    QCOMPARE(format_probability_3(0.00123), QStringLiteral("0.00123"));
    QCOMPARE(format_probability_3(4.567e-5), QStringLiteral("4.57e-5"));
  }

  void twentyRowsPlusTheRestAndTheTopPLineAfterRowSeven() {
    DistributionChart chart;
    chart.setNode(top_p_tree(), 0);
    QCOMPARE(chart.rowLimit(), 20);
    QCOMPARE(chart.rowCount(), 21);  // 20 listed + the rest
    QCOMPARE(chart.stageCount(), 2);
    QCOMPARE(chart.cutLineRow(2), 7);   // top-p: after row 7
    QCOMPARE(chart.cutLineRow(1), -1);  // temperature cuts nothing
    QCOMPARE(chart.valueText(0, 0), QStringLiteral("0.200"));
    QCOMPARE(chart.valueText(0, 2), QStringLiteral("0.247"));          // 0.2 / 0.81
    QCOMPARE(chart.valueText(7, 2), format_probability_3(0.14 / 23));  // removed: its value struck
    // The rest: the 10 listed rows not shown (0.14 / 23 each) and the 0.05 not listed.
    QCOMPARE(chart.valueText(20, 0), format_probability_3(10 * 0.14 / 23 + 0.05));
    chart.setRowLimit(5);
    QCOMPARE(chart.rowCount(), 6);
    QCOMPARE(chart.cutLineRow(2), -1);  // the cut is below the rows shown
  }

  void labelsNeverOverlap() {
    DistributionChart chart;
    chart.setNode(top_p_tree(), 0);
    for (const int width : {120, 300, 420, 640, 1200}) {
      chart.resize(width, chart.sizeHint().height());
      for (const bool log : {false, true}) {
        chart.setLogScale(log);
        const auto labels = chart.labels();
        QVERIFY(labels.size() > 40);
        for (std::size_t i = 0; i < labels.size(); ++i) {
          for (std::size_t j = i + 1; j < labels.size(); ++j) {
            QVERIFY2(!labels[i].rect.intersects(labels[j].rect),
                     qPrintable(QStringLiteral("width %1: '%2' overlaps '%3'")
                                    .arg(width)
                                    .arg(labels[i].text, labels[j].text)));
          }
        }
      }
    }
  }
};

QTEST_MAIN(DistributionChartTest)
#include "distribution_chart_test.moc"
