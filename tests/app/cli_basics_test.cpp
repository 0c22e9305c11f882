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

TEST(CliBasics, ThreadsChangeNoByteOfTheOutput) {
  const std::vector<std::string> decode = {
      "decode",      "--prompt", "Once upon a time", "--strategy", "beam",
      "--num-beams", "3",        "--max-new-tokens", "4"};
  auto with = [&](const char* threads) {
    std::vector<std::string> args = decode;
    args.insert(args.end(), {"--threads", threads});
    return run_cli(args);
  };
  const auto one = with("1"), three = with("3");
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, three.out);
  for (const char* bad : {"0", "x", "2.5"}) {
    const auto r = with(bad);
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  }
}
