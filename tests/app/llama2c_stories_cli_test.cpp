// A real trained llama2.c checkpoint (Karpathy's stories260K, in the
// project's shared test data, not in the repository): greedy decoding of 200
// tokens from BOS must reproduce llama2.c's own output id for id
// (`run stories260K.bin -z tok512.bin -t 0.0 -n 200`, stored beside it).
// Exact equality, not a tolerance: a trained model's greedy path has margins
// far above float32 rounding, and one wrong rotation pair or norm changes
// the story within a few tokens. Skips visibly where ../shared is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/cli_test_util.h"
#include "common/python_reference.h"
#include "common/require_reference.h"

namespace beamscope::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kDir = fs::path(BEAMSCOPE_SHARED_DIR) / "data" / "llama2c-stories260K";

TEST(Llama2cStories, GreedyFromBosReproducesLlama2cExactly) {
  const fs::path model = kDir / "stories260K.bin";
  const fs::path tokenizer = kDir / "tok512.bin";
  const fs::path ids_file = kDir / "stories260K.expected_t0_n200.ids.txt";
  if (!fs::exists(model) || !fs::exists(tokenizer) || !fs::exists(ids_file)) {
    GTEST_SKIP() << "Skipping: the shared test data " << kDir << " is absent";
  }
  std::ifstream in(ids_file);
  const std::vector<int> want = json::parse(in).get<std::vector<int>>();
  ASSERT_EQ(want.size(), 200u);

  const CliResult r =
      run_cli({"decode", "--model", model.string(), "--tokenizer", tokenizer.string(),
               "--prompt-ids", "1", "--strategy", "greedy", "--max-new-tokens", "200"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json tree = json::parse(r.out);
  ASSERT_EQ(tree["sequences"].size(), 1u);
  const std::vector<int> got = tree["sequences"][0]["token_ids"].get<std::vector<int>>();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(got[k], want[k]) << "first difference at generated token " << k;
  }
  EXPECT_EQ(tree["model"]["architecture"], "llama2c");
}

TEST(Llama2cStories, InfoDescribesTheCheckpoint) {
  const fs::path model = kDir / "stories260K.bin";
  const fs::path tokenizer = kDir / "tok512.bin";
  if (!fs::exists(model) || !fs::exists(tokenizer)) {
    GTEST_SKIP() << "Skipping: the shared test data " << kDir << " is absent";
  }
  const CliResult r =
      run_cli({"info", "--model", model.string(), "--tokenizer", tokenizer.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json info = json::parse(r.out);
  EXPECT_EQ(info["architecture"], "llama2c");
  EXPECT_EQ(info["vocab_size"], 512);
  EXPECT_EQ(info["context_length"], 512);
  EXPECT_EQ(info["dtype"], "F32");
  // dim 64, hidden 172, 5 layers, 8 heads, 4 KV heads (kv_dim 32), shared
  // classifier: embeddings + per layer (2 norms, wq, wk, wv, wo, w1, w2, w3) +
  // the final norm.
  const long D = 64, F = 172, KV = 32, L = 5, V = 512;
  const long per_layer = 2 * D + D * D + 2 * KV * D + D * D + 3 * F * D;
  EXPECT_EQ(info["parameter_count"].get<long>(), V * D + L * per_layer + D);
}

// The model-family reference (tests/data/model/families/hf_math.py) is only
// evidence if it is right: its Llama path, fed this trained checkpoint, must
// give llama2.c's 200 ids too.
TEST(Llama2cStories, TheFamilyReferenceReproducesLlama2cToo) {
  const fs::path model = kDir / "stories260K.bin";
  const fs::path ids_file = kDir / "stories260K.expected_t0_n200.ids.txt";
  if (!fs::exists(model) || !fs::exists(ids_file)) {
    GTEST_SKIP() << "Skipping: the shared test data " << kDir << " is absent";
  }
  const std::string python = BEAMSCOPE_PYTHON;
  if (const std::string lacks = python_lacks("torch"); !lacks.empty()) {
    BEAMSCOPE_REFERENCE_MISSING(lacks);
  }
  const std::string script =
      std::string(BEAMSCOPE_TEST_DATA_DIR) + "/model/families/check_stories260k.py";
  const std::string command =
      python + " '" + script + "' '" + model.string() + "' '" + ids_file.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

}  // namespace
}  // namespace beamscope::test
