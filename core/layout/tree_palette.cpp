#include "layout/tree_palette.h"

#include <cstdio>
#include <iterator>

namespace beamscope {

namespace {

constexpr Rgb rgb(std::uint32_t hex) {
  return Rgb{static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8),
             static_cast<std::uint8_t>(hex)};
}

// One row a colour, light and dark side by side, so the two palettes cannot
// drift apart in which colours they have.
struct ColourRow {
  Rgb TreePalette::*field;
  std::uint32_t light, dark;
};
constexpr ColourRow kColours[] = {
    {&TreePalette::background, 0xFFFFFF, 0x1E2126},  {&TreePalette::edge, 0x335588, 0x8FB8F0},
    {&TreePalette::faint_edge, 0xB8BEC8, 0x4F5661},  {&TreePalette::highlight, 0xE08A00, 0xFFB33B},
    {&TreePalette::focus, 0xD01C8B, 0xFF5CC6},       {&TreePalette::forced, 0x7B3FC4, 0xB98CFF},
    {&TreePalette::legend_text, 0x222222, 0xE6E6E6},
};

// One row a status: fill, border and text in each palette; the border's
// style and width are the same in both.
struct StatusRow {
  StatusColors TreePalette::*field;
  std::uint32_t light_fill, light_border, light_text;
  std::uint32_t dark_fill, dark_border, dark_text;
  BorderStyle style;
  double width;
};
constexpr StatusRow kStatusRows[] = {
    {&TreePalette::root, 0x2F3E55, 0x1C2738, 0xFFFFFF, 0xC9D6EA, 0xE8EEF7, 0x121822,
     BorderStyle::Solid, 1.5},
    {&TreePalette::selected, 0xDCEBFF, 0x2B6CC4, 0x102440, 0x1F3A5F, 0x6CA6F0, 0xEAF2FF,
     BorderStyle::Solid, 1.5},
    {&TreePalette::alternative, 0xF4F5F7, 0xA8AFBA, 0x5A626E, 0x2A2E34, 0x6A727E, 0xB0B6C0,
     BorderStyle::Dashed, 1.0},
    {&TreePalette::pruned, 0xFCE8E8, 0xC63C3C, 0x702A2A, 0x452224, 0xF06E6E, 0xF5C6C6,
     BorderStyle::Dotted, 1.5},
    {&TreePalette::finished, 0xFFF1D6, 0xC77C02, 0x4A3305, 0x4A3A12, 0xF2B23E, 0xFFECC8,
     BorderStyle::Solid, 2.0},
    {&TreePalette::returned, 0xD9F2DF, 0x1E8C45, 0x0E3B1F, 0x17442A, 0x5CD68A, 0xDDFFE8,
     BorderStyle::Solid, 3.0},
};

TreePalette make_palette(bool dark) {
  TreePalette p;
  for (const ColourRow& row : kColours) p.*row.field = rgb(dark ? row.dark : row.light);
  for (const StatusRow& row : kStatusRows) {
    p.*row.field = dark ? StatusColors{rgb(row.dark_fill), rgb(row.dark_border), rgb(row.dark_text),
                                       row.style, row.width}
                        : StatusColors{rgb(row.light_fill), rgb(row.light_border),
                                       rgb(row.light_text), row.style, row.width};
  }
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
  static const TreePalette palette = make_palette(false);
  return palette;
}

const TreePalette& TreePalette::dark() {
  static const TreePalette palette = make_palette(true);
  return palette;
}

}  // namespace beamscope
