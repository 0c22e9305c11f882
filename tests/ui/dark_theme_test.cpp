// Issue 17, bug 6: on the dark theme the Run icon was black on dark grey.
// The toolbar's Run and Cancel icons must stand out from the toolbar in
// both the dark and the light palette (contrast ratio as WCAG defines it).
#include <QAction>
#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QToolBar>
#include <QtTest>

#include "dark_palette.h"
#include "main_window.h"

using namespace beamscope::ui;

namespace {

double luminance(const QColor& c) {
  auto channel = [](double v) {
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor& a, const QColor& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The mean colour of the icon's drawn (mostly opaque) pixels.
QColor ink_of(const QIcon& icon) {
  const QImage image = icon.pixmap(24, 24).toImage().convertToFormat(QImage::Format_ARGB32);
  double r = 0, g = 0, b = 0, n = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (c.alpha() < 200) continue;
      r += c.redF();
      g += c.greenF();
      b += c.blueF();
      ++n;
    }
  }
  if (n == 0) return {};
  return QColor::fromRgbF(float(r / n), float(g / n), float(b / n));
}

QAction* action_named(MainWindow& window, const QString& text) {
  auto* bar = window.findChild<QToolBar*>(QStringLiteral("prompt-toolbar"));
  for (QAction* a : bar->actions()) {
    if (a->text() == text) return a;
  }
  return nullptr;
}

void check_icons_stand_out(const QPalette& palette) {
  QApplication::setPalette(palette);
  MainWindow window;
  auto* bar = window.findChild<QToolBar*>(QStringLiteral("prompt-toolbar"));
  const QColor background = bar->palette().color(QPalette::Window);
  for (const QString& text : {QStringLiteral("&Run"), QStringLiteral("&Cancel")}) {
    QAction* action = action_named(window, text);
    QVERIFY(action);
    const QColor ink = ink_of(action->icon());
    QVERIFY2(ink.isValid(), qPrintable(text + " has no icon"));
    const double ratio = contrast(ink, background);
    QVERIFY2(ratio >= 3.0, qPrintable(QStringLiteral("%1 icon %2 on %3: contrast %4")
                                          .arg(text, ink.name(), background.name())
                                          .arg(ratio)));
  }
}

}  // namespace

class DarkThemeTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("BeamscopeTests"));
    QCoreApplication::setApplicationName(QStringLiteral("dark_theme_test"));
    QSettings().clear();
    QApplication::setStyle(QStringLiteral("Fusion"));  // as --theme dark does
  }

  void runIconStandsOutOnTheDarkTheme() { check_icons_stand_out(dark_palette()); }
  void runIconStandsOutOnTheLightTheme() {
    check_icons_stand_out(QApplication::style()->standardPalette());
  }
};

QTEST_MAIN(DarkThemeTest)
#include "dark_theme_test.moc"
