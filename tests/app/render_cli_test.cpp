// beamscope-cli render: every output format from a saved tree, checked by
// decoding/parsing the file (PNG header and size, SVG and PDF structure, DOT
// and TikZ node/edge counts and escaping), plus the error contract.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "app/cli_test_util.h"
#include "decoding/token_tree.h"
#include "io/session.h"

using beamscope::test::run_cli;

// Images come from the UI library; a CLI built without it (the sanitizer
// configuration) renders only DOT and TikZ, which are Qt-free.
#define SKIP_WITHOUT_UI() \
  if (!BEAMSCOPE_CLI_HAS_UI) GTEST_SKIP() << "Skipping: beamscope-cli was built without the UI."

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t(std::uint8_t(s[at])) << 24) |
         (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

// A tree whose tokens need escaping in every format.
beamscope::Session tricky_session() {
  using namespace beamscope;
  Session s;
  s.model.path = "/models/x";
  s.model.architecture = "gpt2";
  s.model.vocab_size = 100;
  s.params.strategy = StrategyKind::Beam;
  s.params.num_beams = 2;
  s.prompt_text = "Say \"hi\" & 100% {ok}";
  s.prompt_ids = {1, 2, 3};
  TokenTree& t = s.tree;
  const int a = t.add_child(0, 10, " \"quoted\"", std::log(0.5));
  const int b = t.add_child(0, 11, "#$%&_\\", std::log(0.2));
  const int c = t.add_child(a, 12, "\n", std::log(0.6));
  const int d = t.add_child(a, 13, "\xE2\x80", std::log(0.1));  // half a character
  t.node(a).status = NodeStatus::Selected;
  t.node(b).status = NodeStatus::Pruned;
  t.node(c).status = NodeStatus::Returned;
  t.node(d).status = NodeStatus::Alternative;
  ReturnedSequence seq;
  seq.node = c;
  seq.token_ids = {10, 12};
  seq.text = " \"quoted\"\n";
  seq.score = -0.6;
  seq.cum_logprob = std::log(0.3);
  t.sequences.push_back(seq);
  return s;
}

class RenderCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("render-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    tree_ = dir_ / "tree.json";
    beamscope::save_session(tricky_session(), tree_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  nlohmann::json render(const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"render", "--tree", tree_.string(), "--out",
                                  (dir_ / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    return nlohmann::json::parse(r.out);
  }

  fs::path dir_;
  fs::path tree_;
};

}  // namespace

TEST_F(RenderCli, PngHasTheReportedSizeAndScales) {
  SKIP_WITHOUT_UI();
  const auto one = render("t.png", {"--scale", "1"});
  const std::string png = slurp(dir_ / "t.png");
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(be32(png, 16), one["width"].get<std::uint32_t>());
  EXPECT_EQ(be32(png, 20), one["height"].get<std::uint32_t>());
  EXPECT_EQ(one["nodes"], 5);
  const auto two = render("t2.png", {"--scale", "2"});
  EXPECT_NEAR(two["width"].get<double>(), 2.0 * one["width"].get<double>(), 2.0);
}

TEST_F(RenderCli, SvgIsXmlWithTheTokensAsText) {
  SKIP_WITHOUT_UI();
  render("t.svg");
  const std::string svg = slurp(dir_ / "t.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_GE(count(svg, "<text"), 5u);
  EXPECT_NE(svg.find("&quot;quoted&quot;"), std::string::npos);  // XML-escaped token
  EXPECT_NE(svg.find("\xE2\x86\xB5"), std::string::npos);        // ↵ for the newline token
}

TEST_F(RenderCli, PdfIsAVectorPageWithFonts) {
  SKIP_WITHOUT_UI();
  render("t.pdf");
  const std::string pdf = slurp(dir_ / "t.pdf");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  EXPECT_NE(pdf.find("/Font"), std::string::npos);
  EXPECT_EQ(pdf.find("/Subtype /Image"), std::string::npos);
  EXPECT_EQ(count(pdf, "/Type /Page\n") + count(pdf, "/Type /Page\r") + count(pdf, "/Type /Page "),
            1u);
}

TEST_F(RenderCli, DotHasEveryNodeAndEdgeEscaped) {
  render("t.dot");
  const std::string dot = slurp(dir_ / "t.dot");
  EXPECT_EQ(dot.rfind("//", 0), 0u);
  EXPECT_NE(dot.find("digraph beamscope {"), std::string::npos);
  EXPECT_EQ(count(dot, " -> "), 4u);
  for (int id = 0; id < 5; ++id) {
    EXPECT_NE(dot.find("  n" + std::to_string(id) + " [label="), std::string::npos) << id;
  }
  EXPECT_NE(dot.find("\\\"quoted\\\""), std::string::npos);  // quotes escaped
  EXPECT_NE(dot.find("#$%&_\\\\"), std::string::npos);       // backslash escaped
  EXPECT_NE(dot.find("<0xE2><0x80>"), std::string::npos);    // split character shown as bytes
  EXPECT_NE(dot.find("Say \\\"hi\\\" & 100% {ok}"), std::string::npos);
  // Every quote inside the file is escaped or balanced: an even count of
  // unescaped quotes per line.
  std::istringstream lines(dot);
  for (std::string line; std::getline(lines, line);) {
    std::size_t quotes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      quotes += line[i] == '"' && (i == 0 || line[i - 1] != '\\');
    EXPECT_EQ(quotes % 2, 0u) << line;
  }
}

TEST_F(RenderCli, TikzIsAStandaloneDocumentWithEscapedTokens) {
  render("t.tex");
  const std::string tex = slurp(dir_ / "t.tex");
  EXPECT_NE(tex.find("\\documentclass[tikz"), std::string::npos);
  EXPECT_NE(tex.find("\\begin{tikzpicture}"), std::string::npos);
  EXPECT_NE(tex.find("\\end{document}"), std::string::npos);
  EXPECT_EQ(count(tex, "\\node["), 5u);
  EXPECT_EQ(count(tex, "\\draw["), 4u);
  EXPECT_NE(tex.find("\\#\\$\\%\\&\\_\\textbackslash{}"), std::string::npos);
  EXPECT_NE(tex.find("\\textvisiblespace{}\"quoted\""), std::string::npos);
  EXPECT_NE(tex.find("$\\hookleftarrow$"), std::string::npos);
  EXPECT_NE(tex.find("Say \"hi\" \\& 100\\% \\{ok\\}"), std::string::npos);
  // Braces balance (escaped ones excluded), so TeX sees a well-formed file.
  int depth = 0;
  for (std::size_t i = 0; i < tex.size(); ++i) {
    if (i > 0 && tex[i - 1] == '\\') continue;
    depth += tex[i] == '{' ? 1 : tex[i] == '}' ? -1 : 0;
    ASSERT_GE(depth, 0) << "at byte " << i;
  }
  EXPECT_EQ(depth, 0);
  // Distinct nodes get distinct places (from the app's layout).
  std::regex at(R"(at \(([-0-9.]+)pt,([-0-9.]+)pt\))");
  std::set<std::pair<std::string, std::string>> places;
  for (auto it = std::sregex_iterator(tex.begin(), tex.end(), at); it != std::sregex_iterator();
       ++it) {
    places.insert({(*it)[1], (*it)[2]});
  }
  EXPECT_EQ(places.size(), 5u);
}

TEST_F(RenderCli, ErrorsAreOneSentenceAndNoOutput) {
  SKIP_WITHOUT_UI();
  auto check = [](const beamscope::test::CliResult& r, const std::string& needle) {
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  };
  check(run_cli({"render", "--out", (dir_ / "x.png").string()}), "--tree");
  check(run_cli({"render", "--tree", tree_.string(), "--out", (dir_ / "x.jpg").string()}), ".png");
  check(run_cli({"render", "--tree", tree_.string(), "--out", (dir_ / "x.png").string(), "--mode",
                 "odds"}),
        "--mode");
  check(run_cli({"render", "--tree", tree_.string(), "--out", (dir_ / "x.png").string(),
                 "--highlight", "99"}),
        "--highlight");
  const fs::path garbage = dir_ / "garbage.json";
  std::ofstream(garbage) << "{\"format\": \"beamscope-tree\", \"nodes\": 7";
  check(run_cli({"render", "--tree", garbage.string(), "--out", (dir_ / "x.png").string()}),
        "garbage.json");
  check(run_cli({"render", "--tree", tree_.string(), "--out", "/nonexistent-dir/x.png"}),
        "/nonexistent-dir/x.png");
  EXPECT_FALSE(fs::exists(dir_ / "x.png"));
}
