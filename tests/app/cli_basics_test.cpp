// The CLI's global options and error contract.
#include <gtest/gtest.h>

#include "app/cli_test_util.h"

using beamscope::test::run_cli;

TEST(CliBasics, VersionPrintsTheVersion) {
  auto r = run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("beamscope-cli ") + BEAMSCOPE_VERSION + "\n");
  EXPECT_TRUE(r.err.empty());
}

TEST(CliBasics, HelpListsUsage) {
  auto r = run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: beamscope-cli <command>"), std::string::npos);
}

TEST(CliBasics, UnknownCommandIsOneSentenceOnStderr) {
  auto r = run_cli({"frobnicate"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("Unknown command 'frobnicate'"), std::string::npos);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(CliBasics, NoArgumentsPrintsHelpAndFails) {
  auto r = run_cli({});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("Commands:"), std::string::npos);
}
