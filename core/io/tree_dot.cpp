#include "io/tree_dot.h"

#include "decoding/top_n_note.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "layout/tree_palette.h"
#include "tokenizer/tokenizer.h"

namespace beamscope {

namespace {

// DOT colour attribute value.
std::string dot_colour(Rgb c) { return "#" + c.hex(); }

// Graphviz node style for a border style (the fill is always on).
const char* dot_style(BorderStyle border) {
  switch (border) {
    case BorderStyle::Dashed:
      return "rounded,filled,dashed";
    case BorderStyle::Dotted:
      return "rounded,filled,dotted";
    case BorderStyle::Solid:
      break;
  }
  return "rounded,filled";
}

// DOT double-quoted string body: escape quotes and backslashes.
std::string dot_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string visible_token_label(std::string_view bytes) {
  const std::string shown = display_bytes(bytes);  // split characters -> <0xNN>
  std::string out;
  for (char ch : shown) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ') {
      out += "\u2423";
    } else if (c == '\n') {
      out += "\u21B5";
    } else if (c == '\t') {
      out += "\u21E5";
    } else if (c < 0x20) {
      // Control pictures: U+2400 + c, encoded as UTF-8 (E2 90 80+c).
      out += '\xE2';
      out += '\x90';
      out += static_cast<char>(0x80 + c);
    } else if (c == 0x7F) {
      out += "\u2421";
    } else {
      out += ch;
    }
  }
  return out.empty() ? std::string("\u2205") : out;
}

std::string probability_label(double p) {
  char buf[32];
  if (!std::isfinite(p)) return "-";
  if (p <= 0) return "0";
  if (p >= 0.995) return "1.00";
  if (p >= 0.01) {
    std::snprintf(buf, sizeof buf, "%.2f", p);
  } else if (p >= 0.001) {
    std::snprintf(buf, sizeof buf, "%.3f", p);
  } else {
    std::snprintf(buf, sizeof buf, "%.1e", p);
  }
  return buf;
}

std::string tree_to_dot(const TokenTree& tree, std::string_view prompt_text) {
  std::set<int> best_path;
  if (!tree.sequences.empty()) {
    for (int id : tree.path_nodes(tree.sequences.front().node)) best_path.insert(id);
  }
  // The app's light palette: the DOT file is meant for print and slides.
  const TreePalette& palette = TreePalette::light();
  std::string out;
  out += "// Beamscope token tree. Render: dot -Tsvg tree.dot -o tree.svg\n";
  out += "digraph beamscope {\n";
  out += "  rankdir=LR;\n  nodesep=0.12;\n  ranksep=0.45;\n";
  out += "  node [shape=box, fontname=\"DejaVu Sans\", fontsize=11, margin=\"0.08,0.04\"];\n";
  out += "  edge [arrowhead=none];\n";
  for (const TreeNode& n : tree.nodes()) {
    const StatusColors& look = palette.of(n.status);
    std::string label;
    if (n.parent < 0) {
      label = prompt_text.empty() ? std::string("prompt") : std::string(prompt_text);
      label = dot_escape(label);
      // A multi-line prompt: DOT's \l keeps lines left-aligned.
      std::string flat;
      for (char c : label) flat += c == '\n' ? std::string("\\l") : std::string(1, c);
      label = flat;
    } else {
      label = dot_escape(visible_token_label(n.text)) + "\\n" + "p " +
              probability_label(std::exp(n.logprob)) + " \u00B7 path " +
              probability_label(n.cum_prob);
      if (n.count > 0) label += " \u00B7 \u00D7" + std::to_string(n.count);
      if (n.forced) label += " \u00B7 forced";
    }
    const bool best = best_path.count(n.id) > 0;
    char attrs[256];
    std::snprintf(attrs, sizeof attrs,
                  "style=\"%s\", fillcolor=\"%s\", color=\"%s\", fontcolor=\"%s\", penwidth=%.1f",
                  dot_style(look.border_style), dot_colour(look.fill).c_str(),
                  dot_colour(best ? palette.highlight : look.border).c_str(),
                  dot_colour(look.text).c_str(), best ? 3.0 : look.border_width);
    std::string reason = describe_reason(n.reason);
    if (const std::string note = top_n_note(n.next); !note.empty())  // a server's top-N
      reason += (reason.empty() ? "" : "; ") + note;
    out += "  n" + std::to_string(n.id) + " [label=\"" + label + "\", " + attrs + ", tooltip=\"" +
           std::string(to_string(n.status)) + (reason.empty() ? "" : ": " + dot_escape(reason)) +
           "\"];\n";
  }
  for (const TreeNode& n : tree.nodes()) {
    if (n.parent < 0) continue;
    const double p = std::clamp(std::exp(n.logprob), 0.0, 1.0);
    char attrs[160];
    const Rgb colour = best_path.count(n.id) ? palette.highlight
                       : is_taken(n.status)  ? palette.edge
                                             : palette.faint_edge;
    std::snprintf(attrs, sizeof attrs, "penwidth=%.2f, color=\"%s\"",
                  best_path.count(n.id) ? 4.0 : 0.8 + 5.0 * p, dot_colour(colour).c_str());
    out +=
        "  n" + std::to_string(n.parent) + " -> n" + std::to_string(n.id) + " [" + attrs + "];\n";
  }
  out += "}\n";
  return out;
}

}  // namespace beamscope
