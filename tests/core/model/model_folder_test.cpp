// load_model_folder: model + tokenizer + special ids, and the errors a user
// sees for a wrong --model path.
#include "model/model_folder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/expect_error.h"
#include "model_test_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

// A byte-level vocabulary: the 256 byte tokens (GPT-2's printable mapping)
// plus <|endoftext|>, no merges.
void write_byte_tokenizer(const std::filesystem::path& dir, int extra_tokens = 0) {
  auto printable = [](int c) {
    return (c >= '!' && c <= '~') || (c >= 0xa1 && c <= 0xac) || c >= 0xae;
  };
  nlohmann::json vocab = nlohmann::json::object();
  int shifted = 0;
  for (int b = 0; b < 256; ++b) {
    const int cp = printable(b) ? b : 256 + shifted++;
    std::string utf8;
    if (cp < 0x80) {
      utf8 += static_cast<char>(cp);
    } else {
      utf8 += static_cast<char>(0xc0 | (cp >> 6));
      utf8 += static_cast<char>(0x80 | (cp & 0x3f));
    }
    vocab[utf8] = b;
  }
  for (int i = 0; i < extra_tokens; ++i) vocab["<extra" + std::to_string(i) + ">"] = 256 + i;
  vocab["<|endoftext|>"] = 256 + extra_tokens;
  test::write_bytes(dir / "vocab.json", vocab.dump());
  test::write_bytes(dir / "merges.txt", "#version: 0.2\n");
}

class ModelFolderTest : public ::testing::Test {
 protected:
  ModelFolderTest() {
    config_ = test::tiny_gpt2_config();
    config_.vocab_size = 260;
    Gpt2Weights w = random_gpt2_weights(config_, 11);
    test::write_gpt2_folder(dir_.path(), config_, w);
    write_byte_tokenizer(dir_.path());
  }
  void set_config(const std::string& key, const nlohmann::json& value) {
    auto j = nlohmann::json::parse(test::gpt2_config_json(config_));
    j[key] = value;
    test::write_bytes(dir_.path() / "config.json", j.dump());
  }

  Gpt2Config config_;
  test::TempDir dir_;
};

TEST_F(ModelFolderTest, LoadsModelTokenizerAndSpecialIds) {
  set_config("eos_token_id", 256);
  test::write_bytes(dir_.path() / "generation_config.json",
                    R"({"bos_token_id": 256, "eos_token_id": [256, 3]})");
  const LoadedModel loaded = load_model_folder(dir_.path());
  ASSERT_TRUE(loaded.model && loaded.tokenizer);
  EXPECT_EQ(loaded.model->info().vocab_size, 260);
  EXPECT_EQ(loaded.tokenizer->vocab_size(), 257);
  EXPECT_EQ(loaded.info.eos_ids, (std::vector<std::int32_t>{256, 3})) << "every listed id ends";
  EXPECT_EQ(loaded.info.bos_id, 256) << "generation_config.json adds to config.json";
  EXPECT_EQ(loaded.info.path, dir_.path().string());
  EXPECT_EQ(loaded.info.architecture, "gpt2");
  EXPECT_EQ(loaded.info.dtype, "F32");
  ASSERT_GE(loaded.info.files.size(), 3u);
  EXPECT_EQ(loaded.info.files[0], (dir_.path() / "config.json").string());
  EXPECT_EQ(loaded.info.files[1], (dir_.path() / "model.safetensors").string());
}

TEST_F(ModelFolderTest, NoSpecialIdsIsFine) {
  const LoadedModel loaded = load_model_folder(dir_.path());
  EXPECT_TRUE(loaded.info.eos_ids.empty());
  EXPECT_FALSE(loaded.info.bos_id.has_value());
}

TEST_F(ModelFolderTest, GenerationConfigOverridesConfig) {
  set_config("eos_token_id", 10);
  test::write_bytes(dir_.path() / "generation_config.json", R"({"eos_token_id": 256})");
  EXPECT_EQ(load_model_folder(dir_.path()).info.eos_ids, std::vector<std::int32_t>{256});
}

TEST_F(ModelFolderTest, SpecialIdOutsideTheVocabulary) {
  set_config("eos_token_id", 260);
  EXPECT_ERROR_CONTAINS(load_model_folder(dir_.path()),
                        "\"eos_token_id\" = 260 is outside the vocabulary (0..259).");
}

TEST_F(ModelFolderTest, FolderErrors) {
  EXPECT_ERROR_CONTAINS(load_model_folder(dir_.path() / "nope"),
                        "Model folder " + (dir_.path() / "nope").string() + " does not exist.");
  EXPECT_ERROR_CONTAINS(load_model_folder(dir_.path() / "config.json"), "is not a folder");
  const auto empty = dir_.path() / "empty";
  std::filesystem::create_directories(empty);
  EXPECT_ERROR_CONTAINS(load_model_folder(empty),
                        empty.string() + " is not a model folder: config.json is missing.");
}

TEST_F(ModelFolderTest, UnsupportedModelType) {
  set_config("model_type", "mamba");
  EXPECT_ERROR_CONTAINS(load_model_folder(dir_.path()),
                        "model_type 'mamba' is not supported (supported: gemma2, gemma3_text, "
                        "gpt2, gpt_neox, llama, mistral, qwen2, qwen3).");
}

TEST_F(ModelFolderTest, TokenizerLargerThanTheModelVocabulary) {
  write_byte_tokenizer(dir_.path(), /*extra_tokens=*/10);  // 267 tokens > 260 logits
  EXPECT_ERROR_CONTAINS(load_model_folder(dir_.path()),
                        "the tokenizer knows 267 tokens but the model's vocab_size is only 260.");
}

TEST_F(ModelFolderTest, ProgressGoesFromZeroToOneAndCancels) {
  std::vector<double> fractions;
  load_model_folder(dir_.path(), [&](double f, std::string_view) {
    fractions.push_back(f);
    return true;
  });
  ASSERT_FALSE(fractions.empty());
  EXPECT_EQ(fractions.front(), 0.0);
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_THROW(load_model_folder(dir_.path(), [](double, std::string_view) { return false; }),
               Cancelled);
}

TEST(BundledModelDir, PointsAtBeamscopeMini) {
  // The test binary is not installed, so this is the source-tree copy.
  EXPECT_EQ(bundled_model_dir().filename(), "beamscope-mini");
  EXPECT_EQ(bundled_model_dir(), std::filesystem::path(BEAMSCOPE_BUNDLED_MODEL_DIR));
}

}  // namespace
}  // namespace beamscope
