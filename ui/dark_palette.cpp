#include "dark_palette.h"

#include <QColor>

namespace beamscope::ui {

QPalette dark_palette() {
  QPalette p;
  const QColor window(0x2A, 0x2D, 0x33), base(0x1E, 0x21, 0x26), text(0xE6, 0xE6, 0xE6);
  const QColor disabled(0x70, 0x75, 0x7D);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x9A, 0xA0, 0xA8));
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::Highlight, QColor(0x3D, 0x7E, 0xD6));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x8F, 0xB8, 0xF0));
  p.setColor(QPalette::Disabled, QPalette::Text, disabled);
  p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
  p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
  return p;
}

}  // namespace beamscope::ui
