// beamscope-cli render for slides: --page lays the tree out for the page
// and fills it (a beam-5, 8-token tree on a 16:9 slide at 1920×1080 with
// legible tokens), --view folds what was not kept, and bad values are one
// sentence each.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "app/cli_test_util.h"

using beamscope::test::run_cli;
namespace fs = std::filesystem;

namespace {

class RenderPageCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!BEAMSCOPE_CLI_HAS_UI) GTEST_SKIP() << "Skipping: beamscope-cli was built without the UI.";
    dir_ = fs::temp_directory_path() / ("render-page-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    tree_ = dir_ / "beam5.json";
    const auto r = run_cli({"decode", "--prompt", "The cat sat on the", "--strategy", "beam",
                            "--num-beams", "5", "--max-new-tokens", "8", "--out", tree_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override { fs::remove_all(dir_); }

  nlohmann::json render(const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args{"render", "--tree", tree_.string(), "--out",
                                  (dir_ / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json{};
  }

  fs::path dir_;
  fs::path tree_;
};

}  // namespace

TEST_F(RenderPageCli, BeamFiveFillsASixteenNineSlide) {
  const auto j = render("slide.png", {"--page", "16:9", "--view", "kept", "--scale", "2"});
  ASSERT_TRUE(j.contains("tree_box")) << j.dump();
  EXPECT_EQ(j["width"], 1920);
  EXPECT_EQ(j["height"], 1080);
  EXPECT_EQ(j["view"], "kept");
  const double w = j["tree_box"][2].get<double>() / 1920.0;
  const double h = j["tree_box"][3].get<double>() / 1080.0;
  const double token_px = j["token_px"].get<double>();
  std::printf("16:9 kept: tree box %.0f%% x %.0f%% of the slide, tokens %.1f px, %s\n", 100 * w,
              100 * h, token_px, j["orientation"].get<std::string>().c_str());
  EXPECT_GE(std::max(w, h), 0.6);
  EXPECT_GE(token_px, 16.0);
  EXPECT_GT(j["stubs"].get<int>(), 0);
  EXPECT_LT(j["shown_nodes"].get<int>(), j["nodes"].get<int>());

  // Every node on the same slide: smaller text, but still on the page.
  const auto all = render("all.png", {"--page", "16:9", "--scale", "2"});
  EXPECT_LT(all["token_px"].get<double>(), token_px);
  EXPECT_EQ(all["shown_nodes"], all["nodes"]);
}

TEST_F(RenderPageCli, ViewsAndPageShapes) {
  const auto path = render("path.svg", {"--view", "path", "--page", "4:3", "--legend", "none"});
  EXPECT_EQ(path["width"], 720);
  EXPECT_EQ(path["height"], 540);
  EXPECT_LE(path["shown_nodes"].get<int>(), 10);  // prompt + at most 8 tokens (+ EOS)
  const auto sub = render("sub.pdf", {"--view", "subtree", "--node", "1", "--page", "800x600",
                                      "--orientation", "right"});
  EXPECT_EQ(sub["orientation"], "right");
  EXPECT_EQ(sub["width"], 800);
  const auto big = render("big.png", {"--font-scale", "2", "--scale", "1"});
  const auto small = render("small.png", {"--scale", "1"});
  EXPECT_GT(big["width"].get<int>(), small["width"].get<int>());
}

// TikZ takes the view too: stubs are nodes of their own style.
TEST_F(RenderPageCli, TikzFoldsLikeTheImages) {
  auto nodes_in = [&](const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args{"render", "--tree", tree_.string(), "--out",
                                  (dir_ / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(dir_ / name);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t nodes = 0, stubs = 0;
    for (auto at = text.find("\\node["); at != std::string::npos;
         at = text.find("\\node[", at + 1)) {
      ++nodes;
      stubs += text.compare(at, 11, "\\node[stub]") == 0;
    }
    return std::make_pair(nodes, stubs);
  };
  const auto all = nodes_in("all.tex", {});
  const auto kept = nodes_in("kept.tex", {"--view", "kept"});
  EXPECT_EQ(all.second, 0u);
  EXPECT_GT(kept.second, 0u);
  EXPECT_LT(kept.first, all.first);
}

TEST_F(RenderPageCli, BadValuesAreOneSentence) {
  auto check = [&](std::vector<std::string> extra, const std::string& needle) {
    std::vector<std::string> args{"render", "--tree", tree_.string(), "--out",
                                  (dir_ / "x.png").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_cli(args);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  };
  check({"--page", "16:10"}, "page");
  check({"--view", "some"}, "--view");
  check({"--legend", "maybe"}, "--legend");
  check({"--orientation", "up"}, "--orientation");
  check({"--view", "subtree", "--node", "100000"}, "--node");
  check({"--font-scale", "100"}, "font scale");
  EXPECT_FALSE(fs::exists(dir_ / "x.png"));
  const auto r = run_cli(
      {"render", "--tree", tree_.string(), "--out", (dir_ / "x.dot").string(), "--view", "kept"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(".dot"), std::string::npos) << r.err;
  const auto tex = run_cli(
      {"render", "--tree", tree_.string(), "--out", (dir_ / "x.tex").string(), "--page", "16:9"});
  EXPECT_NE(tex.exit_code, 0);
  EXPECT_NE(tex.err.find("--page"), std::string::npos) << tex.err;
}
