// Sharded safetensors folders (model.safetensors.index.json) treated as
// hostile: every way an index and its shards can disagree is one sentence
// naming the index.
#include <gtest/gtest.h>

#include "model/weight_files.h"
#include "model_test_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

#define EXPECT_THROW_WITH(statement, text)                                      \
  try {                                                                         \
    statement;                                                                  \
    ADD_FAILURE() << "no error";                                                \
  } catch (const Error& e) {                                                    \
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what(); \
  }

class WeightFilesTest : public ::testing::Test {
 protected:
  void shard(const std::string& file, const std::vector<std::string>& names,
             const std::string& dtype = "F32") {
    std::vector<test::TensorToWrite> tensors;
    for (const std::string& n : names) {
      tensors.push_back({n, dtype, {2}, dtype == "F32" ? test::f32_bytes({1.0f, 2.0f}) : "abcd"});
    }
    test::write_bytes(dir_.path() / file, test::safetensors_bytes(tensors));
  }
  void index(const std::string& weight_map) {
    test::write_bytes(dir_.path() / "model.safetensors.index.json",
                      R"({"metadata": {}, "weight_map": )" + weight_map + "}");
  }
  test::TempDir dir_;
};

TEST_F(WeightFilesTest, ReadsShardsInTheIndexOrderAndFindsEveryTensor) {
  shard("b.safetensors", {"x", "y"});
  shard("a.safetensors", {"z"}, "BF16");
  index(R"({"x": "b.safetensors", "y": "b.safetensors", "z": "a.safetensors"})");
  const WeightFiles files = WeightFiles::open_folder(dir_.path());
  ASSERT_EQ(files.paths().size(), 3u);
  EXPECT_EQ(files.paths()[0], (dir_.path() / "model.safetensors.index.json").string());
  EXPECT_EQ(files.paths()[1], (dir_.path() / "b.safetensors").string());
  ASSERT_NE(files.find("z"), nullptr);
  EXPECT_EQ(files.find("z")->file->path().filename(), "a.safetensors");
  EXPECT_EQ(files.find("nope"), nullptr);
  EXPECT_EQ(files.dtype(), "mixed");
}

TEST_F(WeightFilesTest, OneFileWithoutAnIndex) {
  shard("model.safetensors", {"x"}, "BF16");
  const WeightFiles files = WeightFiles::open_folder(dir_.path());
  EXPECT_EQ(files.paths(), std::vector<std::string>{(dir_.path() / "model.safetensors").string()});
  EXPECT_EQ(files.dtype(), "BF16");
}

TEST_F(WeightFilesTest, HostileIndexes) {
  EXPECT_THROW_WITH(WeightFiles::open_folder(dir_.path()), "has no model.safetensors");
  shard("a.safetensors", {"x"});
  index(R"({"x": "missing.safetensors"})");
  EXPECT_THROW_WITH(WeightFiles::open_folder(dir_.path()),
                    "model.safetensors.index.json: names shard missing.safetensors, which is not");
  index(R"({"x": "../a.safetensors"})");
  EXPECT_THROW_WITH(WeightFiles::open_folder(dir_.path()),
                    "must be a file name in the model folder");
  index(R"([1, 2])");
  EXPECT_THROW_WITH(WeightFiles::open_folder(dir_.path()), "has no \"weight_map\" object");
  shard("b.safetensors", {"x", "y"});
  index(R"({"x": "a.safetensors", "y": "b.safetensors"})");
  EXPECT_THROW_WITH(WeightFiles::open_folder(dir_.path()),
                    "tensor 'x' is in two shards, a.safetensors and b.safetensors");
  shard("b.safetensors", {"y"});
  index(R"({"x": "b.safetensors", "y": "a.safetensors"})");
  EXPECT_THROW_WITH(WeightFiles::open_folder(dir_.path()),
                    "puts tensor 'y' in a.safetensors, but it is in b.safetensors");
  index(R"({"x": "a.safetensors", "y": "b.safetensors", "w": "b.safetensors"})");
  EXPECT_THROW_WITH(WeightFiles::open_folder(dir_.path()),
                    "puts tensor 'w' in b.safetensors, which does not hold it");
}

}  // namespace
}  // namespace beamscope
