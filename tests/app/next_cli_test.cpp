// `beamscope-cli next` against the independent PyTorch reference
// (tests/core/decoding/hf_decode_reference.py): the same top ids in the same
// order, raw log-probs and chained probabilities within 1e-4, and exactly the
// same tokens removed (prob 0).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

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
constexpr double kTol = 1e-4;

bool ready() {
  static const bool ok =
      std::filesystem::exists(kModel + "/model.safetensors") && python_lacks("torch").empty();
  return ok;
}

json reference(const std::vector<std::string>& args) {
  std::string cmd = std::string(BEAMSCOPE_PYTHON) + " " + kReference;
  for (const auto& a : args) cmd += " '" + a + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return json::parse(out, nullptr, false);
}

}  // namespace

TEST(NextCli, MatchesTheReferenceForEveryOrder) {
  if (!ready()) BEAMSCOPE_REFERENCE_MISSING("the bundled model or torch is missing");
  struct Case {
    std::string ids, temperature, top_k, top_p, min_p, order;
  };
  const std::vector<Case> cases{
      {"2629,341,2559,257,712", "1.0", "0", "1.0", "0.0", "hf"},
      {"2629,341,2559,257,712", "0.7", "0", "0.8", "0.0", "hf"},
      {"2629,341,2559,257,712", "0.7", "0", "0.8", "0.0", "llamacpp"},
      {"2629,341,2559", "1.5", "12", "0.9", "0.05", "hf"},
      {"2629,341,2559", "1.5", "12", "0.9", "0.05", "llamacpp"},
      {"46", "2.0", "0", "1.0", "0.3", "hf"},
      {"46", "2.0", "0", "1.0", "0.3", "llamacpp"},
  };
  for (const Case& c : cases) {
    const std::string label = c.ids + " T=" + c.temperature + " k=" + c.top_k + " p=" + c.top_p +
                              " min_p=" + c.min_p + " " + c.order;
    const auto r = run_cli({"next", "--model", kModel, "--prompt-ids", c.ids, "--top", "25",
                            "--temperature", c.temperature, "--top-k", c.top_k, "--top-p", c.top_p,
                            "--min-p", c.min_p, "--order", c.order});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json ours = json::parse(r.out);
    const json ref =
        reference({"next", kModel, c.ids, "25", c.temperature, c.top_k, c.top_p, c.min_p, c.order});
    ASSERT_TRUE(ref.contains("top")) << label;
    ASSERT_EQ(ours["top"].size(), ref["top"].size()) << label;
    for (std::size_t i = 0; i < ref["top"].size(); ++i) {
      const json& a = ours["top"][i];
      const json& b = ref["top"][i];
      EXPECT_EQ(a["id"], b["id"]) << label << " #" << i;
      EXPECT_NEAR(a["logprob"].get<double>(), b["logprob"].get<double>(), kTol)
          << label << " #" << i;
      EXPECT_NEAR(a["prob"].get<double>(), b["prob"].get<double>(), kTol) << label << " #" << i;
      EXPECT_EQ(a["prob"].get<double>() == 0.0, b["prob"].get<double>() == 0.0)
          << label << " #" << i;
      EXPECT_TRUE(a["token"].is_string());
    }
  }
}

TEST(NextCli, PrintsTheContractShape) {
  if (!std::filesystem::exists(kModel + "/model.safetensors"))
    BEAMSCOPE_REFERENCE_MISSING("the bundled model is missing");
  const auto r = run_cli({"next", "--model", kModel, "--prompt", "Once upon a", "--top", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_TRUE(j["prompt_ids"].is_array());
  ASSERT_EQ(j["top"].size(), 3u);
  double previous = 0.0;
  for (const json& row : j["top"]) {
    for (const char* key : {"id", "token", "logprob", "prob"})
      EXPECT_TRUE(row.contains(key)) << key;
    EXPECT_LE(row["logprob"].get<double>(), previous);  // sorted by raw logprob
    previous = row["logprob"].get<double>();
    // No chain options: prob is the plain softmax.
    EXPECT_NEAR(row["prob"].get<double>(), std::exp(row["logprob"].get<double>()), 1e-9);
  }
}

TEST(NextCli, ErrorsAreOneSentence) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"next", "--model", kModel, "--prompt-ids", "1", "--top", "0"},
           {"next", "--model", kModel, "--prompt-ids", "1", "--min-p", "2"},
           {"next", "--model", kModel},
           {"next", "--model", "/nonexistent/model/dir", "--prompt-ids", "1"}}) {
    const auto r = run_cli(args);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(r.out.empty());
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
}
