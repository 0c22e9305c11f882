#include "layout/tree_palette.h"

#include <cstdio>

namespace beamscope {

namespace {

constexpr Rgb rgb(std::uint32_t hex) {
  return Rgb{static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8),
             static_cast<std::uint8_t>(hex)};
}

constexpr StatusColors look(std::uint32_t fill, std::uint32_t border, std::uint32_t text,
                            BorderStyle style = BorderStyle::Solid, double width = 1.5) {
  return StatusColors{rgb(fill), rgb(border), rgb(text), style, width};
}

TreePalette make_light() {
  TreePalette p;
  p.background = rgb(0xFFFFFF);
  p.edge = rgb(0x335588);
  p.faint_edge = rgb(0xB8BEC8);
  p.highlight = rgb(0xE08A00);
  p.focus = rgb(0xD01C8B);
  p.forced = rgb(0x7B3FC4);
  p.legend_text = rgb(0x222222);
  p.root = look(0x2F3E55, 0x1C2738, 0xFFFFFF);
  p.selected = look(0xDCEBFF, 0x2B6CC4, 0x102440);
  p.alternative = look(0xF4F5F7, 0xA8AFBA, 0x5A626E, BorderStyle::Dashed, 1.0);
  p.pruned = look(0xFCE8E8, 0xC63C3C, 0x702A2A, BorderStyle::Dotted, 1.5);
  p.finished = look(0xFFF1D6, 0xC77C02, 0x4A3305, BorderStyle::Solid, 2.0);
  p.returned = look(0xD9F2DF, 0x1E8C45, 0x0E3B1F, BorderStyle::Solid, 3.0);
  return p;
}

TreePalette make_dark() {
  TreePalette p;
  p.background = rgb(0x1E2126);
  p.edge = rgb(0x8FB8F0);
  p.faint_edge = rgb(0x4F5661);
  p.highlight = rgb(0xFFB33B);
  p.focus = rgb(0xFF5CC6);
  p.forced = rgb(0xB98CFF);
  p.legend_text = rgb(0xE6E6E6);
  p.root = look(0xC9D6EA, 0xE8EEF7, 0x121822);
  p.selected = look(0x1F3A5F, 0x6CA6F0, 0xEAF2FF);
  p.alternative = look(0x2A2E34, 0x6A727E, 0xB0B6C0, BorderStyle::Dashed, 1.0);
  p.pruned = look(0x452224, 0xF06E6E, 0xF5C6C6, BorderStyle::Dotted, 1.5);
  p.finished = look(0x4A3A12, 0xF2B23E, 0xFFECC8, BorderStyle::Solid, 2.0);
  p.returned = look(0x17442A, 0x5CD68A, 0xDDFFE8, BorderStyle::Solid, 3.0);
  return p;
}

}  // namespace

std::string Rgb::hex() const {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02X%02X%02X", r, g, b);
  return buf;
}

const StatusColors& TreePalette::of(NodeStatus status) const {
  switch (status) {
    case NodeStatus::Root:
      return root;
    case NodeStatus::Selected:
      return selected;
    case NodeStatus::Alternative:
      return alternative;
    case NodeStatus::Pruned:
      return pruned;
    case NodeStatus::Finished:
      return finished;
    case NodeStatus::Returned:
      return returned;
  }
  return alternative;
}

const TreePalette& TreePalette::light() {
  static const TreePalette palette = make_light();
  return palette;
}

const TreePalette& TreePalette::dark() {
  static const TreePalette palette = make_dark();
  return palette;
}

}  // namespace beamscope
