// The desktop app's command-line contract: `beamscope --help` and
// `--version` answer on stdout and exit 0 on a machine without a display
// (no X server, no Wayland, no QT_QPA_PLATFORM), and a bad option is one
// sentence on stderr with exit code 1, not a Qt platform abort.
#include <gtest/gtest.h>

#include <string>

#include "app/cli_test_util.h"

using beamscope::test::CliResult;
using beamscope::test::run_program;

namespace {

// Everything that would give Qt a display to connect to.
const std::vector<std::string> kNoDisplay = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"};

CliResult run_gui(const std::vector<std::string>& args) {
  return run_program(BEAMSCOPE_GUI, args, kNoDisplay);
}

class GuiCommandLine : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(BEAMSCOPE_GUI).empty()) {
      GTEST_SKIP() << "Skipping: the desktop app is not built (BEAMSCOPE_BUILD_UI=OFF).";
    }
  }
};

TEST_F(GuiCommandLine, HelpWorksWithoutADisplay) {
  const CliResult r = run_gui({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
  for (const char* option : {"--model", "--prompt", "--strategy", "--screenshot", "--theme",
                             "--beams", "--time-first-tree"}) {
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
  }
  EXPECT_EQ(r.err.find("platform plugin"), std::string::npos) << r.err;
}

TEST_F(GuiCommandLine, VersionWorksWithoutADisplay) {
  const CliResult r = run_gui({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("Beamscope ") + BEAMSCOPE_VERSION + "\n");
}

TEST_F(GuiCommandLine, ShortFormsToo) {
  EXPECT_EQ(run_gui({"-h"}).exit_code, 0);
  const CliResult r = run_gui({"-v"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(BEAMSCOPE_VERSION), std::string::npos);
}

// Help wins over the rest of the line, even over options it cannot know
// yet (Qt's own, like -platform) and bad values.
TEST_F(GuiCommandLine, HelpWinsOverEverythingElse) {
  const CliResult r = run_gui({"-platform", "offscreen", "--strategy", "nonsense", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Usage:"), std::string::npos);
}

// Bad options are checked after the QApplication exists (Qt's own options
// are only known then); offscreen, the answer is one sentence and exit 1.
TEST_F(GuiCommandLine, BadOptionsAreOneSentenceAndExitOne) {
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const Case& c : {Case{{"--strategy", "nonsense"}, "Unknown strategy 'nonsense'"},
                        Case{{"--theme", "sepia"}, "Unknown theme 'sepia'"},
                        Case{{"--beams", "many"}, "--beams needs a number, not 'many'"},
                        // Out of range: the same sentence as beamscope-cli decode --num-beams 300.
                        Case{{"--beams", "300"}, "num_beams must be between 1 and 256 (got 300)."},
                        Case{{"--size", "big"}, "--size must be WIDTHxHEIGHT"},
                        Case{{"--no-such-option"}, "no-such-option"}}) {
    std::vector<std::string> args = {"-platform", "offscreen"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const CliResult r = run_gui(args);
    EXPECT_EQ(r.exit_code, 1) << c.says;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
}

}  // namespace
