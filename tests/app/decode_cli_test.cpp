// `beamscope-cli decode` against an independent PyTorch reference of HF's
// generation semantics (tests/core/decoding/hf_decode_reference.py, float64)
// on the bundled model: the same sequences, best first, and scores within
// 1e-4 (the engine runs in float32; observed differences are ~1e-6).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/cli_test_util.h"
#include "common/python_reference.h"
#include "common/require_reference.h"

using beamscope::test::python_lacks;
using beamscope::test::run_cli;
using nlohmann::json;

namespace {

const std::string kModel = std::string(BEAMSCOPE_SOURCE_DIR) + "/resources/models/beamscope-mini";
const std::string kReference =
    std::string(BEAMSCOPE_SOURCE_DIR) + "/tests/core/decoding/hf_decode_reference.py";
constexpr double kScoreTol = 1e-4;

bool have_model() { return std::filesystem::exists(kModel + "/model.safetensors"); }

bool have_torch() {
  static const bool ok = python_lacks("torch").empty();
  return ok;
}

json run_reference(const std::vector<std::string>& args) {
  std::string cmd = std::string(BEAMSCOPE_PYTHON) + " " + kReference;
  for (const auto& a : args) cmd += " '" + a + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return json();
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return json::parse(out, nullptr, false);
}

json decode(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"decode", "--model", kModel};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  return json::parse(r.out, nullptr, false);
}

void expect_same_sequences(const json& ours, const json& reference, const std::string& label) {
  ASSERT_TRUE(ours.contains("sequences")) << label;
  ASSERT_TRUE(reference.contains("sequences")) << label << ": reference failed";
  ASSERT_EQ(ours["sequences"].size(), reference["sequences"].size()) << label;
  for (std::size_t i = 0; i < ours["sequences"].size(); ++i) {
    EXPECT_EQ(ours["sequences"][i]["token_ids"], reference["sequences"][i]["token_ids"])
        << label << " #" << i;
    EXPECT_NEAR(ours["sequences"][i]["score"].get<double>(),
                reference["sequences"][i]["score"].get<double>(), kScoreTol)
        << label << " #" << i;
  }
}

struct BeamCase {
  std::string ids;
  int beams, max_new;
  double lp;
  std::string early;
  int nrs;
  double rep;
  int ngram;
};

}  // namespace

TEST(DecodeCli, BeamSearchMatchesTheReference) {
  if (!have_model() || !have_torch())
    BEAMSCOPE_REFERENCE_MISSING("the bundled model or torch is missing");
  const std::vector<BeamCase> cases{
      {"2629,341,2559,257,712", 3, 8, 1.0, "false", 3, 1.0, 0},
      {"2629,341,2559,257,712", 4, 10, 1.0, "true", 2, 1.0, 0},
      {"2629,341,2559,257,712", 4, 10, 2.0, "never", 4, 1.0, 0},
      {"2629,341,2559", 2, 12, 0.5, "false", 2, 1.0, 0},
      {"2629,341,2559", 5, 9, -0.5, "never", 3, 1.0, 0},
      {"46", 3, 10, 1.0, "false", 3, 1.3, 0},
      {"2629,341,2559,257,712", 3, 12, 1.0, "never", 3, 1.0, 2},
  };
  for (const BeamCase& c : cases) {
    const std::string label = "beam " + c.ids + " nb=" + std::to_string(c.beams) +
                              " lp=" + std::to_string(c.lp) + " early=" + c.early +
                              " rep=" + std::to_string(c.rep) + " ngram=" + std::to_string(c.ngram);
    const json ours =
        decode({"--prompt-ids", c.ids, "--strategy", "beam", "--num-beams", std::to_string(c.beams),
                "--max-new-tokens", std::to_string(c.max_new), "--length-penalty",
                std::to_string(c.lp), "--early-stopping", c.early, "--num-return-sequences",
                std::to_string(c.nrs), "--repetition-penalty", std::to_string(c.rep),
                "--no-repeat-ngram-size", std::to_string(c.ngram)});
    const json reference =
        run_reference({"beam", kModel, c.ids, std::to_string(c.beams), std::to_string(c.max_new),
                       std::to_string(c.lp), c.early, std::to_string(c.nrs), std::to_string(c.rep),
                       std::to_string(c.ngram)});
    expect_same_sequences(ours, reference, label);
  }
}

TEST(DecodeCli, GreedyMatchesTheReference) {
  if (!have_model() || !have_torch())
    BEAMSCOPE_REFERENCE_MISSING("the bundled model or torch is missing");
  for (const auto& [ids, rep, ngram] : std::vector<std::tuple<std::string, double, int>>{
           {"2629,341,2559,257,712", 1.0, 0}, {"2629,341,2559", 1.5, 0}, {"46,10", 1.0, 3}}) {
    const json ours = decode({"--prompt-ids", ids, "--strategy", "greedy", "--max-new-tokens", "15",
                              "--repetition-penalty", std::to_string(rep), "--no-repeat-ngram-size",
                              std::to_string(ngram)});
    const json reference =
        run_reference({"greedy", kModel, ids, "15", std::to_string(rep), std::to_string(ngram)});
    expect_same_sequences(ours, reference, "greedy " + ids);
  }
}

// Llama 3's generation_config lists several EOS ids. Every one ends a
// sequence, and HF's pool grows to max(2, 1 + n_eos) * num_beams. A copy of
// the bundled model whose EOS ids are 4095 and two tokens the beams of this
// prompt really produce (read off a first run without them), so hypotheses
// end on each of them, step after step.
TEST(DecodeCli, SeveralEosIdsMatchTheReference) {
  if (!have_model() || !have_torch())
    BEAMSCOPE_REFERENCE_MISSING("the bundled model or torch is missing");
  namespace fs = std::filesystem;
  const std::string ids = "2629,341,2559,257,712";
  const json plain = decode({"--prompt-ids", ids, "--strategy", "beam", "--num-beams", "4",
                             "--max-new-tokens", "10", "--num-return-sequences", "4"});
  ASSERT_EQ(plain["sequences"].size(), 4u);
  json longest = plain["sequences"][0]["token_ids"];
  for (const auto& seq : plain["sequences"]) {
    if (seq["token_ids"].size() > longest.size()) longest = seq["token_ids"];
  }
  ASSERT_GE(longest.size(), 8u);
  // One early in the shared beams' path, one late in a single beam's.
  const int eos_a = longest[2].get<int>(), eos_b = longest[7].get<int>();
  ASSERT_NE(eos_a, eos_b);

  const fs::path folder =
      fs::temp_directory_path() / ("beamscope-several-eos-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  for (const auto& entry : fs::directory_iterator(kModel)) {
    if (entry.path().filename() != "generation_config.json")
      fs::create_symlink(entry.path(), folder / entry.path().filename());
  }
  std::ofstream(folder / "generation_config.json")
      << json{{"bos_token_id", 4095}, {"eos_token_id", {4095, eos_a, eos_b}}}.dump();

  int ended_on_listed_eos = 0;
  for (const auto& [beams, early, lp] : std::vector<std::tuple<int, std::string, double>>{
           {4, "false", 1.0}, {3, "true", 1.0}, {5, "never", 0.5}}) {
    const std::string label = "several EOS, nb=" + std::to_string(beams) + " early=" + early;
    const auto r = run_cli({"decode", "--model", folder.string(), "--prompt-ids", ids, "--strategy",
                            "beam", "--num-beams", std::to_string(beams), "--max-new-tokens", "10",
                            "--length-penalty", std::to_string(lp), "--early-stopping", early,
                            "--num-return-sequences", std::to_string(beams)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json ours = json::parse(r.out, nullptr, false);
    const json reference =
        run_reference({"beam", folder.string(), ids, std::to_string(beams), "10",
                       std::to_string(lp), early, std::to_string(beams), "1.0", "0"});
    expect_same_sequences(ours, reference, label);
    for (const auto& seq : ours["sequences"]) {
      const int last = seq["token_ids"].back().get<int>();
      ended_on_listed_eos += last == eos_a || last == eos_b;
    }
  }
  // The case is only a test of several EOS ids if sequences end on them.
  EXPECT_GT(ended_on_listed_eos, 0);
  // Greedy stops at the first of them it takes.
  const auto g = run_cli({"decode", "--model", folder.string(), "--prompt-ids", ids, "--strategy",
                          "greedy", "--max-new-tokens", "15"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  expect_same_sequences(json::parse(g.out, nullptr, false),
                        run_reference({"greedy", folder.string(), ids, "15", "1.0", "0"}),
                        "several EOS, greedy");
  fs::remove_all(folder);
}

TEST(DecodeCli, WritesTheTreeJsonToOut) {
  if (!have_model()) BEAMSCOPE_REFERENCE_MISSING("the bundled model is missing");
  const auto out = std::filesystem::temp_directory_path() / "beamscope-decode-cli-tree.json";
  std::filesystem::remove(out);
  const auto r = run_cli({"decode", "--model", kModel, "--prompt", "Once upon a time", "--strategy",
                          "sample", "--num-samples", "6", "--seed", "3", "--top-k", "20",
                          "--max-new-tokens", "5", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  std::ifstream in(out);
  const json tree = json::parse(in, nullptr, false);
  ASSERT_FALSE(tree.is_discarded());
  EXPECT_EQ(tree["format"], "beamscope-tree");
  EXPECT_EQ(tree["params"]["num_samples"], 6);
  EXPECT_EQ(tree["params"]["top_k"], 20);
  EXPECT_EQ(tree["prompt"]["text"], "Once upon a time");
  EXPECT_EQ(tree["nodes"][0]["count"], 6);
  int total = 0;
  for (const auto& s : tree["sequences"]) total += s["count"].get<int>();
  EXPECT_EQ(total, 6);
}

TEST(DecodeCli, SameSeedSameTree) {
  if (!have_model()) BEAMSCOPE_REFERENCE_MISSING("the bundled model is missing");
  const std::vector<std::string> args{"--prompt",      "The cat", "--strategy",       "sample",
                                      "--num-samples", "5",       "--seed",           "42",
                                      "--temperature", "1.3",     "--max-new-tokens", "6"};
  const json a = decode(args), b = decode(args);
  EXPECT_EQ(a, b);
  std::vector<std::string> other = args;
  other[7] = "43";
  EXPECT_NE(decode(other)["nodes"], a["nodes"]);
}

TEST(DecodeCli, BadValuesAreOneSentenceErrors) {
  const std::vector<std::vector<std::string>> bad{
      {"--prompt-ids", "1", "--temperature", "-1", "--strategy", "sample"},
      {"--prompt-ids", "1", "--top-p", "1.5"},
      {"--prompt-ids", "1", "--strategy", "beam", "--num-beams", "2", "--num-return-sequences",
       "3"},
      {"--prompt-ids", "1", "--early-stopping", "sometimes"},
      {"--prompt-ids", "1", "--strategy", "magic"},
      {"--prompt-ids", "1", "--order", "top_k,banana"},
      {"--prompt", "x", "--prompt-ids", "1"},
      {"--prompt-ids", "999999"},
      {"--prompt-ids", "1", "--max-new-tokens", "0"},
  };
  for (const auto& args : bad) {
    std::vector<std::string> full{"decode", "--model", kModel};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = run_cli(full);
    EXPECT_NE(r.exit_code, 0) << args[args.size() - 1];
    EXPECT_TRUE(r.out.empty());
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    EXPECT_EQ(r.err[r.err.size() - 2], '.') << r.err;
  }
}
