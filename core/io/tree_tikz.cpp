#include "io/tree_tikz.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include "io/tree_dot.h"
#include "layout/tree_filter.h"
#include "layout/tree_layout.h"
#include "layout/tree_palette.h"
#include "tokenizer/tokenizer.h"

namespace beamscope {

namespace {

// TeX-safe text: specials escaped, whitespace made visible, control bytes and
// split UTF-8 as <0xNN>; other UTF-8 passes through for (lua)latex.
std::string tex_escape(std::string_view bytes, bool visible_whitespace) {
  const std::string shown = display_bytes(bytes);
  std::string out;
  for (char ch : shown) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\':
        out += "\\textbackslash{}";
        break;
      case '{':
      case '}':
      case '#':
      case '$':
      case '%':
      case '&':
      case '_':
        out += '\\';
        out += ch;
        break;
      case '~':
        out += "\\textasciitilde{}";
        break;
      case '^':
        out += "\\textasciicircum{}";
        break;
      case '<':
        out += "\\textless{}";
        break;
      case '>':
        out += "\\textgreater{}";
        break;
      case ' ':
        out += visible_whitespace ? "\\textvisiblespace{}" : " ";
        break;
      case '\n':
        out += visible_whitespace ? "$\\hookleftarrow$" : " ";
        break;
      case '\t':
        out += visible_whitespace ? "$\\rightarrow$" : " ";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[48];
          std::snprintf(buf, sizeof buf, "\\textless{}0x%02X\\textgreater{}", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out;
}

const char* style_of(NodeStatus status) {
  switch (status) {
    case NodeStatus::Root:
      return "root";
    case NodeStatus::Selected:
      return "taken";
    case NodeStatus::Alternative:
      return "alternative";
    case NodeStatus::Pruned:
      return "pruned";
    case NodeStatus::Finished:
      return "finished";
    case NodeStatus::Returned:
      return "returned";
  }
  return "alternative";
}

// The app's layout, with boxes sized for TikZ's \small sans (approximated
// per character, since TeX does the real typesetting); stubs in \tiny.
TreeLayout tikz_layout(const TokenTree& tree, const FilteredTree& filtered,
                       std::string_view prompt) {
  auto chars = [](std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // code points
    return static_cast<double>(n);
  };
  std::vector<NodeSize> sizes;
  sizes.reserve(static_cast<std::size_t>(filtered.input.size()));
  for (const TreeNode& n : tree.nodes()) {
    const double text = n.parent < 0 ? chars(prompt) * 6.2 : std::max(chars(n.text) * 6.6, 62.0);
    sizes.push_back(NodeSize{text + 8.0, n.parent < 0 ? 18.0 : 24.0});
  }
  for (const TreeStub& stub : filtered.stubs) {
    sizes.push_back(NodeSize{chars(stub_label(stub)) * 4.4 + 8.0, 12.0});
  }
  LayoutOptions options;
  options.row_gap = 6;
  options.column_gap = 28;
  return layout_tree(filtered.input, sizes, options);
}

std::string pt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fpt", v);
  return buf;
}

}  // namespace

std::string tree_to_tikz(const TokenTree& tree, std::string_view prompt_text, TreeFilter view,
                         int focus) {
  const FilteredTree filtered = filter_tree(tree, view, {}, std::numeric_limits<int>::max(), focus);
  const TreeLayout layout = tikz_layout(tree, filtered, prompt_text);
  std::set<int> best_path;
  if (!tree.sequences.empty()) {
    for (int id : tree.path_nodes(tree.sequences.front().node)) best_path.insert(id);
  }
  std::string out;
  out += "% Beamscope token tree. Compile: lualatex tree.tex (pdflatex for ASCII tokens).\n";
  out += "\\documentclass[tikz,border=6pt]{standalone}\n";
  out += "\\usepackage[T1]{fontenc}\n";
  out += "\\usepackage{iftex}\n\\ifPDFTeX\\usepackage[utf8]{inputenc}\\fi\n";
  out += "\\usepackage[scaled]{helvet}\n\\renewcommand{\\familydefault}{\\sfdefault}\n";
  // The app's light palette: colour names the styles below refer to.
  const TreePalette& palette = TreePalette::light();
  auto define = [&out](const std::string& name, Rgb colour) {
    out += "\\definecolor{" + name + "}{HTML}{" + colour.hex() + "}";
  };
  const std::pair<const char*, const StatusColors*> looks[] = {
      {"root", &palette.root},         {"taken", &palette.selected},
      {"alt", &palette.alternative},   {"pruned", &palette.pruned},
      {"finished", &palette.finished}, {"returned", &palette.returned}};
  for (const auto& [name, look] : looks) {
    define(std::string(name) + "fill", look->fill);
    define(std::string(name) + "line", look->border);
    out += "\n";
  }
  define("takenedge", palette.edge);
  define("faintedge", palette.faint_edge);
  out += "\n";
  define("highlight", palette.highlight);
  define("forced", palette.forced);
  out += "\n";
  out += "\\begin{document}\n\\begin{tikzpicture}[x=1pt,y=1pt,\n";
  out +=
      "  tok/.style={draw, rounded corners=3pt, anchor=west, align=left, inner sep=3pt, "
      "font=\\small},\n"
      "  root/.style={tok, fill=rootfill, draw=rootline, text=white, font=\\small\\bfseries},\n"
      "  taken/.style={tok, fill=takenfill, draw=takenline, line width=0.8pt},\n"
      "  alternative/.style={tok, fill=altfill, draw=altline, dashed, text=black!65},\n"
      "  pruned/.style={tok, fill=prunedfill, draw=prunedline, dotted, line width=0.8pt},\n"
      "  finished/.style={tok, fill=finishedfill, draw=finishedline, line width=1.1pt},\n"
      "  returned/.style={tok, fill=returnedfill, draw=returnedline, line width=1.6pt},\n"
      "  best/.style={draw=highlight, line width=1.8pt},\n"
      "  stub/.style={tok, draw=altline, dashed, rounded corners=5pt, inner sep=2pt, "
      "font=\\tiny, text=black!60},\n"
      "  edge/.style={line cap=round}]\n";
  for (const TreeNode& n : tree.nodes()) {
    const auto at = static_cast<std::size_t>(n.id);
    if (!layout.visible[at]) continue;
    std::string label;
    if (n.parent < 0) {
      label = tex_escape(prompt_text.empty() ? std::string_view("prompt") : prompt_text, false);
    } else {
      label = "\\textbf{" + tex_escape(n.text, true) + "}\\\\[-1pt]{\\tiny p " +
              probability_label(std::exp(n.logprob)) + " $\\cdot$ path " +
              probability_label(n.cum_prob) +
              (n.count > 0 ? " $\\cdot$ $\\times$" + std::to_string(n.count) : std::string()) +
              (n.forced ? " $\\cdot$ \\textcolor{forced}{forced}" : std::string()) + "}";
    }
    std::string style = style_of(n.status);
    if (best_path.count(n.id)) style += ", best";
    out += "  \\node[" + style + "] (n" + std::to_string(n.id) + ") at (" + pt(layout.x[at]) + "," +
           pt(-layout.y[at]) + ") {" + label + "};\n";
  }
  for (const TreeNode& n : tree.nodes()) {
    if (n.parent < 0) continue;
    if (!layout.visible[static_cast<std::size_t>(n.id)]) continue;
    const double p = std::clamp(std::exp(n.logprob), 0.0, 1.0);
    const bool on_best = best_path.count(n.id) > 0;
    const bool taken = is_taken(n.status);
    char width[32];
    std::snprintf(width, sizeof width, "%.2fpt", on_best ? 2.5 : 0.4 + 3.0 * p);
    out += "  \\draw[edge, line width=" + std::string(width) + ", " +
           (on_best ? "highlight"
            : taken ? "takenedge"
                    : "faintedge") +
           "] (n" + std::to_string(n.parent) + ".east) to[out=0,in=180] (n" + std::to_string(n.id) +
           ".west);\n";
  }
  // Folded children: "+12 alternatives" stubs on dashed edges.
  for (std::size_t k = 0; k < filtered.stubs.size(); ++k) {
    const TreeStub& stub = filtered.stubs[k];
    const auto at = static_cast<std::size_t>(tree.size()) + k;
    out += "  \\node[stub] (s" + std::to_string(k) + ") at (" + pt(layout.x[at]) + "," +
           pt(-layout.y[at]) + ") {" + tex_escape(stub_label(stub), false) + "};\n";
    out += "  \\draw[edge, faintedge, dashed, line width=0.4pt] (n" + std::to_string(stub.parent) +
           ".east) to[out=0,in=180] (s" + std::to_string(k) + ".west);\n";
  }
  out += "\\end{tikzpicture}\n\\end{document}\n";
  return out;
}

}  // namespace beamscope
