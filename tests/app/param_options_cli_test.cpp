// The decoding parameters on the command line come from the parameter table
// (decoding/decode_param_spec.h): `decode --help` lists every entry that has
// an option with its default and help line, `next --help` the chain's, and a
// value out of range is refused with the same one sentence the core (and so
// the GUI) gives.
#include <gtest/gtest.h>

#include <string>

#include "app/cli_test_util.h"
#include "decoding/decode_param_spec.h"
#include "util/error.h"

namespace beamscope::test {
namespace {

TEST(ParamOptionsCli, DecodeHelpListsEveryTableEntry) {
  const CliResult r = run_cli({"decode", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t section = r.out.find("Decoding parameters");
  ASSERT_NE(section, std::string::npos) << r.out;
  int listed = 0;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.option.empty()) continue;  // custom_order: set through --order
    ++listed;
    const std::string option = "    --" + std::string(spec.option) + " ";
    const std::size_t at = r.out.find(option, section);
    ASSERT_NE(at, std::string::npos) << option << " missing from\n" << r.out;
    // The entry: its line, and the next one where a long option wraps.
    const std::string entry = r.out.substr(at, r.out.find("\n    --", at + 1) - at);
    EXPECT_NE(entry.find("[" + param_text(spec, DecodeParams{}) + "]"), std::string::npos) << entry;
    EXPECT_NE(entry.find(spec.help), std::string::npos) << entry;
  }
  EXPECT_EQ(listed + 1, static_cast<int>(decode_param_specs().size()));
}

TEST(ParamOptionsCli, NextTakesTheChainOptionsOnly) {
  const CliResult r = run_cli({"next", "--help"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.option.empty()) continue;
    const bool listed = r.out.find("    --" + std::string(spec.option) + " ") != std::string::npos;
    EXPECT_EQ(listed, spec.group == ParamGroup::Chain) << spec.option;
  }
  const CliResult beams = run_cli({"next", "--prompt", "a", "--num-beams", "2"});
  EXPECT_NE(beams.exit_code, 0);
  EXPECT_EQ(beams.err, "Unknown option --num-beams (see --help).\n");
}

TEST(ParamOptionsCli, OutOfRangeIsTheCoresOneSentence) {
  for (const auto& [option, value, name] :
       {std::tuple{"--top-p", "1.5", "top_p"}, std::tuple{"--num-beams", "0", "num_beams"},
        std::tuple{"--typical-p", "0", "typical_p"},
        std::tuple{"--epsilon-cutoff", "1", "epsilon_cutoff"},
        std::tuple{"--max-nodes", "0", "max_nodes"}}) {
    DecodeParams p;
    ASSERT_TRUE(set_param_text(decode_param_spec(name), value, p));
    std::string expected;
    try {
      validate_decode_params(p);
    } catch (const Error& e) {
      expected = e.what();
    }
    ASSERT_FALSE(expected.empty()) << name;
    const CliResult r = run_cli({"decode", "--prompt", "a", option, value});
    EXPECT_EQ(r.exit_code, 1) << option;
    EXPECT_TRUE(r.out.empty()) << option;
    EXPECT_EQ(r.err, expected + "\n") << option;
  }
  const CliResult r = run_cli({"decode", "--prompt", "a", "--strategy", "nucleus"});
  EXPECT_EQ(r.err, "Option --strategy expects greedy, beam or sample, got 'nucleus'.\n");
  const CliResult k = run_cli({"next", "--prompt", "a", "--top-k", "many"});
  EXPECT_EQ(k.err, "Option --top-k expects an integer, got 'many'.\n");
}

}  // namespace
}  // namespace beamscope::test
