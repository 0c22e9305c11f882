// The bundled model (resources/models/beamscope-mini), when present, against
// the PyTorch strategy_chain that ships with it: same token ids (from its bpe.py), the
// C++ engine's windowed log-prob sum must equal score_reference.py's float64
// sum. Skips visibly when the model or torch is missing. Works on a copy of
// the folder because training rewrites it while it runs.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/python_reference.h"
#include "common/require_reference.h"
#include "model/gpt2_model.h"
#include "model/model_folder.h"
#include "model/text_score.h"
#include "model_test_files.h"

namespace beamscope {
namespace {

TEST(BundledModel, WindowedLogProbMatchesScoreReference) {
  const std::filesystem::path bundled = bundled_model_dir();
  const std::string python = BEAMSCOPE_PYTHON;
  for (const char* file : {"model.safetensors", "score_reference.py", "bpe.py", "heldout.txt"}) {
    if (!std::filesystem::exists(bundled / file)) {
      BEAMSCOPE_REFERENCE_MISSING((bundled / file).string() << " is not there (yet).");
    }
  }
  if (const std::string lacks = test::python_lacks("torch"); !lacks.empty()) {
    BEAMSCOPE_REFERENCE_MISSING(lacks);
  }
  test::TempDir copy;
  for (const auto& entry : std::filesystem::directory_iterator(bundled)) {
    if (entry.is_regular_file()) {
      std::filesystem::copy_file(entry.path(), copy.path() / entry.path().filename());
    }
  }
  // ~4 KB of held-out text (cut at a line end): more than two 256-token windows.
  std::ifstream heldout(bundled / "heldout.txt", std::ios::binary);
  std::string text(4000, '\0');
  heldout.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(text.rfind('\n') + 1);
  test::write_bytes(copy.path() / "sample.txt", text);

  const auto out = copy.path() / "reference.json";
  const std::string command = python + " '" + BEAMSCOPE_TEST_DATA_DIR +
                              "/model/score_bundled_reference.py' '" + copy.path().string() +
                              "' '" + (copy.path() / "sample.txt").string() + "' > '" +
                              out.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(out);
  const auto reference = nlohmann::json::parse(in);
  const auto ids = reference["ids"].get<std::vector<std::int32_t>>();

  auto model = load_gpt2_model(copy.path());
  ASSERT_GT(ids.size() + 1, 2u * model->info().context_length) << "want several windows";
  const double total =
      sum_next_token_logprobs(*model, reference["eos_id"].get<std::int32_t>(), ids);
  // float32 engine vs float64 reference: per-token log-prob errors of ~1e-5
  // (seen: 5e-5 in total over 5390 tokens) partly cancel; 1e-5 per token
  // summed is a safe bound that any real error (windowing, an off-by-one
  // target) exceeds by orders of magnitude.
  std::cout << "  " << ids.size() << " tokens, C++ " << total << " vs reference "
            << reference["total_logprob"].get<double>() << "\n";
  EXPECT_NEAR(total, reference["total_logprob"].get<double>(), 1e-5 * ids.size())
      << ids.size() << " tokens";
}

}  // namespace
}  // namespace beamscope
