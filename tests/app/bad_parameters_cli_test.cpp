// The bad-inputs catalogue, continued (bad_inputs_cli_test.cpp has the
// broken folders and files): odd prompts and edge-case parameters through the
// real beamscope-cli, on the same tiny GPT-2 folder.
//
// Decisions this file pins down (documented in the report / README):
//   - empty prompt: error.
//   - a prompt that, with max_new_tokens, needs more than n_positions
//     positions (prompt + max_new_tokens - 1, as the last token is never fed
//     back): error naming both numbers and the context size. No silent
//     clamping: the tree would not be what was asked for.
//   - non-UTF-8 prompt bytes: decode/next accept them (byte-level BPE encodes
//     any bytes; the session stores them losslessly); tokenize refuses them
//     with the byte offset (its output is text).
//   - temperature 0 and top_p 0 when sampling: work, and give the greedy path.
//   - num_beams above 256: error. Any byte-level vocabulary has at least 257
//     tokens, so a beam wider than the vocabulary cannot be asked for here;
//     the decoder's behaviour for that case is in tests/core/robustness.
#include "app/bad_inputs_cli_fixture.h"

namespace beamscope::test {
namespace {

// Its own suite name: GoogleTest wants one fixture type per suite, and each
// file has its own copy of the fixture.
class BadParametersCli : public BadInputsCli {};

TEST_F(BadParametersCli, EmptyPrompt) {
  expect_refused(decode({"--prompt", "", "--out", (root_ / "x.json").string()}), {"empty"});
  expect_refused(next(good(), {"--prompt", ""}), {"empty"});
}

TEST_F(BadParametersCli, PromptLongerThanTheContext) {
  // 20 single-byte tokens ("x" has no merge) > n_positions 16.
  const CliResult r = decode({"--prompt", std::string(20, 'x'), "--max-new-tokens", "1", "--out",
                              (root_ / "x.json").string()});
  expect_refused(r, {"20", "16"});
  expect_refused(next(good(), {"--prompt", std::string(20, 'x')}), {"20", "16"});
}

TEST_F(BadParametersCli, MaxNewTokensBeyondTheContext) {
  // The last new token is never fed back, so prompt + max_new_tokens - 1
  // positions are needed: 2 + 15 - 1 = 16 fits, 2 + 16 - 1 = 17 does not.
  const CliResult r =
      decode({"--prompt", "ab", "--max-new-tokens", "16", "--out", (root_ / "x.json").string()});
  expect_refused(r, {"2 tokens", "max_new_tokens (16)", "context of 16"});
  const json tree =
      decode_tree({"--prompt", "ab", "--max-new-tokens", "15", "--strategy", "greedy"});
  ASSERT_FALSE(tree.is_null());
  EXPECT_EQ(first_sequence(tree).size(), 15u);
}

TEST_F(BadParametersCli, NonUtf8PromptBytesDecode) {
  const std::string prompt =
      "h\xff"
      "e\xc3";
  const json tree = decode_tree({"--prompt", prompt, "--max-new-tokens", "2"});
  ASSERT_FALSE(tree.is_null());
  EXPECT_EQ(tree["prompt"]["ids"], json({104, 255, 101, 195}));  // one byte token each
  const CliResult r = next(good(), {"--prompt", prompt});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["prompt_ids"], json({104, 255, 101, 195}));
  // tokenize prints the text back, so it refuses and says where.
  expect_refused(run_cli({"tokenize", "--model", good().string(), "--text", prompt}),
                 {"UTF-8", "1"});
}

TEST_F(BadParametersCli, PromptIdsOutsideTheVocabulary) {
  expect_refused(next(good(), {"--prompt-ids", "1,259"}), {"259"});
  expect_refused(next(good(), {"--prompt-ids", "1,-3"}), {"-3"});
  expect_refused(next(good(), {"--prompt-ids", "1,,2"}), {"prompt-ids"});
}

// ---- parameters -------------------------------------------------------------

TEST_F(BadParametersCli, TemperatureZeroSamplesTheGreedyPath) {
  const auto greedy = first_sequence(
      decode_tree({"--prompt", "the", "--strategy", "greedy", "--max-new-tokens", "6"}));
  ASSERT_EQ(greedy.size(), 6u);
  for (const char* seed : {"1", "2"}) {
    const auto sampled =
        first_sequence(decode_tree({"--prompt", "the", "--strategy", "sample", "--temperature", "0",
                                    "--seed", seed, "--max-new-tokens", "6"}));
    EXPECT_EQ(sampled, greedy) << "seed " << seed;
  }
}

TEST_F(BadParametersCli, TopPZeroKeepsTheBestToken) {
  const auto greedy = first_sequence(
      decode_tree({"--prompt", "the", "--strategy", "greedy", "--max-new-tokens", "6"}));
  const auto sampled =
      first_sequence(decode_tree({"--prompt", "the", "--strategy", "sample", "--top-p", "0",
                                  "--seed", "3", "--max-new-tokens", "6"}));
  EXPECT_EQ(sampled, greedy);
  // next: exactly one token keeps probability 1.
  const CliResult r = next(good(), {"--prompt", "the", "--top-p", "0", "--top", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json top = json::parse(r.out)["top"];
  EXPECT_DOUBLE_EQ(top[0]["prob"].get<double>(), 1.0);
  for (std::size_t i = 1; i < top.size(); ++i) EXPECT_EQ(top[i]["prob"].get<double>(), 0.0);
}

TEST_F(BadParametersCli, BeamWidthLimits) {
  expect_refused(decode({"--prompt", "the", "--strategy", "beam", "--num-beams", "300", "--out",
                         (root_ / "x.json").string()}),
                 {"num_beams", "300"});
  // 256 beams: 2 x 256 candidates per step exceed the 259-token vocabulary at
  // step 1; the search still returns 256 distinct-path answers, best first.
  const json tree = decode_tree({"--prompt", "the", "--strategy", "beam", "--num-beams", "256",
                                 "--num-return-sequences", "256", "--max-new-tokens", "2"});
  ASSERT_FALSE(tree.is_null());
  ASSERT_EQ(tree["sequences"].size(), 256u);
  for (std::size_t i = 1; i < 256; ++i) {
    EXPECT_GE(tree["sequences"][i - 1]["score"].get<double>(),
              tree["sequences"][i]["score"].get<double>());
  }
}

TEST_F(BadParametersCli, NodeCapStopsTheRunAndSaysSo) {
  // 4 beams x 6 steps with 5 alternatives would grow ~100 nodes; the cap is 30.
  const fs::path out = root_ / "capped.json";
  fs::remove(out);
  const CliResult r = decode({"--prompt", "the", "--strategy", "beam", "--num-beams", "4",
                              "--max-new-tokens", "6", "--max-nodes", "30", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.err, "The tree reached its cap of 30 nodes; decoding stopped.\n");
  ASSERT_TRUE(fs::exists(out)) << "the tree up to the cap is still written";
  const json tree = json::parse(slurp(out));
  EXPECT_LE(tree["nodes"].size(), 30u);
  EXPECT_GT(tree["nodes"].size(), 1u);
  expect_refused(decode({"--prompt", "the", "--max-nodes", "0", "--out", out.string()}),
                 {"max_nodes", "0"});
}

TEST_F(BadParametersCli, OutOfRangeNumbers) {
  const std::string out = (root_ / "x.json").string();
  const std::vector<std::vector<std::string>> cases = {
      {"--temperature", "-1"},   {"--temperature", "nan"},
      {"--temperature", "abc"},  {"--top-p", "1.5"},
      {"--top-k", "-1"},         {"--min-p", "2"},
      {"--max-new-tokens", "0"}, {"--max-new-tokens", "99999999999999999999"},
      {"--num-samples", "0"},    {"--seed", "-1"},
      {"--num-beams", "0"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c[0] + " " + c[1]);
    std::vector<std::string> args{"--prompt", "the", "--strategy", "sample", "--out", out};
    args.insert(args.end(), c.begin(), c.end());
    expect_refused(decode(args), {});
  }
}

TEST_F(BadParametersCli, OutPathThatCannotBeWritten) {
  // The parent of the output is a file: the write fails, and nothing is left.
  const fs::path out = good() / "config.json" / "tree.json";
  expect_refused(decode({"--prompt", "the", "--max-new-tokens", "1", "--out", out.string()}),
                 {"tree.json"});
  expect_refused(decode({"--prompt", "the", "--max-new-tokens", "1", "--out",
                         (root_ / "missing-dir" / "tree.json").string()}),
                 {"tree.json"});
}

}  // namespace
}  // namespace beamscope::test
