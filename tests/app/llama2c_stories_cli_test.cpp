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
#include "common/require_reference.h"

namespace beamscope::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kDir = fs::path(BEAMSCOPE_SHARED_DIR) / "data" / "llama2c-stories260K";

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
  if (std::system((python + " -c 'import torch' >/dev/null 2>&1").c_str()) != 0) {
    BEAMSCOPE_REFERENCE_MISSING(python + " with torch is not available");
  }
  const std::string script =
      std::string(BEAMSCOPE_TEST_DATA_DIR) + "/model/families/check_stories260k.py";
  const std::string command =
      python + " '" + script + "' '" + model.string() + "' '" + ids_file.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

}  // namespace
}  // namespace beamscope::test
