// The safetensors reader against hand-built files: one malformed file per
// validity rule (each must fail with a message naming the file and the rule),
// and good files of every readable dtype.
#include "model/safetensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "model_test_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

using test::safetensors_bytes;
using test::TempDir;
using test::write_bytes;

class SafetensorsTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& bytes) {
    const auto path = dir_.path() / "model.safetensors";
    write_bytes(path, bytes);
    return path;
  }
  // Opens the file expecting failure; returns the message.
  std::string error_of(const std::string& bytes) {
    const auto path = write(bytes);
    try {
      SafetensorsFile file(path);
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("model.safetensors"), std::string::npos) << message;
      return message;
    }
    ADD_FAILURE() << "file was accepted";
    return {};
  }
  TempDir dir_;
};

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// ---- malformed files, one per rule ----

TEST_F(SafetensorsTest, FileShorterThanTheLengthField) {
  EXPECT_CONTAINS(error_of("\x01\x02\x03"), "fewer than the 8-byte header length");
}

TEST_F(SafetensorsTest, EmptyFile) { EXPECT_CONTAINS(error_of(""), "it has 0 bytes"); }

TEST_F(SafetensorsTest, HeaderLengthOverTheLimit) {
  std::string bytes(8, '\0');
  const std::uint64_t n = 100'000'001;
  std::memcpy(bytes.data(), &n, 8);
  EXPECT_CONTAINS(error_of(bytes + "{}"), "exceeds the 100 MB limit");
}

TEST_F(SafetensorsTest, HeaderLengthPastTheEndOfTheFile) {
  std::string bytes = safetensors_bytes("{}", "");
  const std::uint64_t n = 50;
  std::memcpy(bytes.data(), &n, 8);
  EXPECT_CONTAINS(error_of(bytes), "runs past the end of the file");
}

TEST_F(SafetensorsTest, HeaderLengthNearUint64MaxDoesNotWrap) {
  std::string bytes = safetensors_bytes("{}", "");
  const std::uint64_t n = ~std::uint64_t{0} - 4;
  std::memcpy(bytes.data(), &n, 8);
  EXPECT_CONTAINS(error_of(bytes), "exceeds the 100 MB limit");
}

TEST_F(SafetensorsTest, HeaderIsNotUtf8) {
  EXPECT_CONTAINS(error_of(safetensors_bytes("{\"a\xff\": 1}", "")), "not valid UTF-8");
}

TEST_F(SafetensorsTest, HeaderHasOverlongUtf8) {
  // 0xC0 0xAF is an overlong '/': invalid UTF-8 even though it decodes.
  EXPECT_CONTAINS(error_of(safetensors_bytes("{\"\xc0\xaf\": 1}", "")), "not valid UTF-8");
}

TEST_F(SafetensorsTest, HeaderIsNotJson) {
  EXPECT_CONTAINS(error_of(safetensors_bytes("{\"a\": ", "")), "not valid JSON");
}

TEST_F(SafetensorsTest, HeaderNumberOverflowsADouble) {
  // nlohmann throws out_of_range, not parse_error, for this (found by fuzzing).
  EXPECT_CONTAINS(error_of(safetensors_bytes(R"({"__metadata__": 1e999})", "")),
                  "not valid JSON (number overflow");
}

TEST_F(SafetensorsTest, HeaderIsNotAnObject) {
  EXPECT_CONTAINS(error_of(safetensors_bytes("[1, 2]", "")), "not a JSON object");
}

TEST_F(SafetensorsTest, TensorEntryIsNotAnObject) {
  EXPECT_CONTAINS(error_of(safetensors_bytes(R"({"w": 3})", "")),
                  "tensor 'w' is not a JSON object");
}

TEST_F(SafetensorsTest, UnknownDtype) {
  const auto m = error_of(safetensors_bytes(
      R"({"w": {"dtype": "F33", "shape": [1], "data_offsets": [0, 4]}})", "abcd"));
  EXPECT_CONTAINS(m, "tensor 'w' has unknown dtype 'F33'");
}

TEST_F(SafetensorsTest, MissingDtype) {
  const auto m =
      error_of(safetensors_bytes(R"({"w": {"shape": [1], "data_offsets": [0, 4]}})", "abcd"));
  EXPECT_CONTAINS(m, "tensor 'w' has no dtype");
}

TEST_F(SafetensorsTest, MissingShape) {
  const auto m =
      error_of(safetensors_bytes(R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})", "abcd"));
  EXPECT_CONTAINS(m, "tensor 'w' has no shape");
}

TEST_F(SafetensorsTest, NegativeShapeEntry) {
  const auto m = error_of(safetensors_bytes(
      R"({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})", "abcd"));
  EXPECT_CONTAINS(m, "tensor 'w' has a shape entry -1 that is not a non-negative integer");
}

TEST_F(SafetensorsTest, FractionalShapeEntry) {
  const auto m = error_of(safetensors_bytes(
      R"({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}})", "abcd"));
  EXPECT_CONTAINS(m, "not a non-negative integer");
}

TEST_F(SafetensorsTest, MissingDataOffsets) {
  const auto m = error_of(safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [1]}})", "abcd"));
  EXPECT_CONTAINS(m, "tensor 'w' has no data_offsets pair");
}

TEST_F(SafetensorsTest, DataOffsetsWithThreeEntries) {
  const auto m = error_of(safetensors_bytes(
      R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}})", "abcd"));
  EXPECT_CONTAINS(m, "no data_offsets pair");
}

TEST_F(SafetensorsTest, DataOffsetsBeginAfterEnd) {
  const auto m = error_of(
      safetensors_bytes(R"({"w": {"dtype": "U8", "shape": [0], "data_offsets": [4, 0]}})", "abcd"));
  EXPECT_CONTAINS(m, "tensor 'w' has data_offsets [4, 0] whose begin is after its end");
}

TEST_F(SafetensorsTest, ByteSizeDoesNotMatchShape) {
  const auto m = error_of(safetensors_bytes(
      R"({"h.0.attn.c_attn.weight": {"dtype": "F32", "shape": [48, 144], "data_offsets": [0, 100]}})",
      std::string(100, 'x')));
  EXPECT_CONTAINS(m,
                  "model.safetensors: tensor 'h.0.attn.c_attn.weight' has data_offsets [0, 100] "
                  "(100 bytes) but shape [48, 144] of F32 needs 27648 bytes.");
}

TEST_F(SafetensorsTest, ShapeProductOverflows) {
  const auto m = error_of(safetensors_bytes(
      R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}})", ""));
  EXPECT_CONTAINS(m, "tensor 'w' has shape [4294967296, 4294967296] whose byte size overflows");
}

TEST_F(SafetensorsTest, ByteSizeOverflowsOnlyWithTheDtypeSize) {
  // 2^62 elements fit in 64 bits, 2^62 * 4 bytes do not.
  const auto m = error_of(safetensors_bytes(
      R"({"w": {"dtype": "F32", "shape": [4611686018427387904], "data_offsets": [0, 0]}})", ""));
  EXPECT_CONTAINS(m, "overflows");
}

TEST_F(SafetensorsTest, GapBetweenTensors) {
  const auto m = error_of(safetensors_bytes(
      R"({"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]},
          "b": {"dtype": "U8", "shape": [2], "data_offsets": [3, 5]}})",
      "12345"));
  EXPECT_CONTAINS(m, "tensor 'b' starts at data offset 3 but the previous data ends at 2");
}

TEST_F(SafetensorsTest, DataDoesNotStartAtZero) {
  const auto m = error_of(
      safetensors_bytes(R"({"a": {"dtype": "U8", "shape": [2], "data_offsets": [1, 3]}})", "123"));
  EXPECT_CONTAINS(m, "tensor 'a' starts at data offset 1 but the previous data ends at 0");
}

TEST_F(SafetensorsTest, OverlappingTensors) {
  const auto m = error_of(safetensors_bytes(
      R"({"a": {"dtype": "U8", "shape": [3], "data_offsets": [0, 3]},
          "b": {"dtype": "U8", "shape": [2], "data_offsets": [2, 4]}})",
      "1234"));
  EXPECT_CONTAINS(m, "tensor 'b' with data_offsets [2, 4] overlaps tensor 'a' which ends at 3");
}

TEST_F(SafetensorsTest, TwoTensorsSharingTheSameBytes) {
  const auto m = error_of(safetensors_bytes(
      R"({"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]},
          "b": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}})",
      "12"));
  EXPECT_CONTAINS(m, "overlaps tensor");
}

TEST_F(SafetensorsTest, TrailingBytesAfterTheData) {
  const auto m = error_of(safetensors_bytes(
      R"({"a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}})", "12extra"));
  EXPECT_CONTAINS(m, "the tensors cover 2 data bytes but the file holds 7 bytes");
}

TEST_F(SafetensorsTest, DataRunsPastTheEndOfTheFile) {
  const auto m = error_of(safetensors_bytes(
      R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})", "only8byt"));
  EXPECT_CONTAINS(m, "the tensors cover 16 data bytes but the file holds 8 bytes");
}

TEST_F(SafetensorsTest, MetadataWithANonStringValue) {
  const auto m = error_of(safetensors_bytes(R"({"__metadata__": {"format": 1}})", ""));
  EXPECT_CONTAINS(m, "__metadata__ entry 'format' is not a string");
}

TEST_F(SafetensorsTest, MetadataThatIsNotAnObject) {
  const auto m = error_of(safetensors_bytes(R"({"__metadata__": "pt"})", ""));
  EXPECT_CONTAINS(m, "__metadata__ is not a JSON object");
}

TEST_F(SafetensorsTest, MissingFileNamesTheFile) {
  try {
    SafetensorsFile file(dir_.path() / "absent.safetensors");
    FAIL() << "opened a missing file";
  } catch (const Error& e) {
    EXPECT_CONTAINS(e.what(), "absent.safetensors: cannot open the file");
  }
}

TEST_F(SafetensorsTest, DirectoryIsNotAFile) {
  try {
    SafetensorsFile file(dir_.path());
    FAIL() << "opened a directory";
  } catch (const Error& e) {
    EXPECT_CONTAINS(e.what(), "is not a regular file");
  }
}

// ---- good files ----

TEST_F(SafetensorsTest, ReadsF32) {
  const std::vector<float> values = {1.0f, -2.5f, 3.25f, 1e-30f, -0.0f, 65504.0f};
  const auto path = write(test::safetensors_bytes({{"w", "F32", {2, 3}, test::f32_bytes(values)}}));
  SafetensorsFile file(path);
  ASSERT_EQ(file.tensors().size(), 1u);
  const auto* t = file.find("w");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->shape, (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(t->element_count, 6u);
  std::vector<float> out(6);
  file.read_floats(*t, out);
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::memcmp(&out[i], &values[i], 4), 0) << "element " << i;
  }
}

TEST_F(SafetensorsTest, ReadsEmptyTensorsOfEveryFloatDtype) {
  // Zero elements: nothing to copy (UBSan caught a memcpy to the null data()
  // of an empty vector, found by fuzzing), and still a dtype error for I32.
  const auto path = write(test::safetensors_bytes({{"f32", "F32", {0}, ""},
                                                   {"f16", "F16", {2, 0}, ""},
                                                   {"bf16", "BF16", {0, 3}, ""},
                                                   {"i32", "I32", {0}, ""}}));
  SafetensorsFile file(path);
  std::vector<float> none;
  for (const char* name : {"f32", "f16", "bf16"}) {
    EXPECT_NO_THROW(file.read_floats(*file.find(name), none)) << name;
  }
  EXPECT_THROW(file.read_floats(*file.find("i32"), none), Error);
}

TEST_F(SafetensorsTest, ReadsF16IncludingSubnormalsInfinityAndNan) {
  // 1.0, -2.0, smallest subnormal 2^-24, largest subnormal, 65504, -inf, NaN, 0.333...
  const std::uint16_t halves[] = {0x3c00, 0xc000, 0x0001, 0x03ff, 0x7bff, 0xfc00, 0x7e00, 0x3555};
  std::string data(sizeof halves, '\0');
  std::memcpy(data.data(), halves, sizeof halves);
  // The header length is whatever the JSON takes, so the data usually starts
  // unaligned: reads must not assume alignment.
  const auto path = write(test::safetensors_bytes({{"h", "F16", {8}, data}}));
  SafetensorsFile file(path);
  std::vector<float> out(8);
  file.read_floats(*file.find("h"), out);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], -2.0f);
  EXPECT_EQ(out[2], std::ldexp(1.0f, -24));
  EXPECT_EQ(out[3], std::ldexp(1023.0f, -24));
  EXPECT_EQ(out[4], 65504.0f);
  EXPECT_TRUE(std::isinf(out[5]) && out[5] < 0);
  EXPECT_TRUE(std::isnan(out[6]));
  EXPECT_EQ(out[7], 0.333251953125f);  // nearest half to 1/3
}

TEST_F(SafetensorsTest, ReadsBF16) {
  const std::uint16_t values[] = {0x3f80, 0xc040, 0x0001, 0x7f80, 0x4049};
  std::string data(sizeof values, '\0');
  std::memcpy(data.data(), values, sizeof values);
  const auto path = write(test::safetensors_bytes({{"b", "BF16", {5}, data}}));
  SafetensorsFile file(path);
  std::vector<float> out(5);
  file.read_floats(*file.find("b"), out);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], -3.0f);
  EXPECT_EQ(out[2], std::ldexp(1.0f, -133));  // smallest bf16 subnormal
  EXPECT_TRUE(std::isinf(out[3]));
  EXPECT_EQ(out[4], 3.140625f);
}

TEST_F(SafetensorsTest, UnsupportedDtypeOpensButCannotBeReadAsFloats) {
  const std::int64_t values[] = {1, 2};
  std::string data(sizeof values, '\0');
  std::memcpy(data.data(), values, sizeof values);
  const auto path = write(test::safetensors_bytes({{"ids", "I64", {2}, data}}));
  SafetensorsFile file(path);
  const auto* t = file.find("ids");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->dtype, SafetensorsDtype::I64);
  std::vector<float> out(2);
  try {
    file.read_floats(*t, out);
    FAIL() << "read I64 as floats";
  } catch (const Error& e) {
    EXPECT_CONTAINS(e.what(), "tensor 'ids' has dtype I64, which cannot be read as floats");
  }
}

TEST_F(SafetensorsTest, WrongOutputSizeIsAnError) {
  const auto path = write(test::safetensors_bytes({{"w", "F32", {2}, test::f32_bytes({1, 2})}}));
  SafetensorsFile file(path);
  std::vector<float> out(3);
  EXPECT_THROW(file.read_floats(*file.find("w"), out), Error);
}

TEST_F(SafetensorsTest, ScalarsEmptyTensorsMetadataAndPadding) {
  // A 0-d scalar, a tensor with a zero dimension, metadata and the space
  // padding real writers add after the JSON.
  const std::string header =
      R"({"__metadata__": {"format": "pt"}, "s": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]},)"
      R"( "e": {"dtype": "F16", "shape": [3, 0], "data_offsets": [4, 4]}})"
      "     ";
  const auto path = write(safetensors_bytes(header, test::f32_bytes({7.5f})));
  SafetensorsFile file(path);
  EXPECT_EQ(file.metadata().at("format"), "pt");
  ASSERT_EQ(file.tensors().size(), 2u);
  std::vector<float> scalar(1);
  file.read_floats(*file.find("s"), scalar);
  EXPECT_EQ(scalar[0], 7.5f);
  EXPECT_EQ(file.find("e")->element_count, 0u);
  EXPECT_EQ(file.find("nope"), nullptr);
}

TEST_F(SafetensorsTest, EmptyHeaderWithNoTensors) {
  SafetensorsFile file(write(safetensors_bytes("{}", "")));
  EXPECT_TRUE(file.tensors().empty());
}

// Hostile input: random byte flips in the length field and header, and random
// truncations, of a valid two-tensor file. Every outcome must be a clean open
// or a beamscope::Error — never a crash, another exception type, or a read
// outside the file (the ASan build checks the latter).
TEST_F(SafetensorsTest, RandomCorruptionsAreErrorsNotCrashes) {
  const std::string good =
      test::safetensors_bytes({{"a.weight", "F32", {3, 2}, test::f32_bytes({1, 2, 3, 4, 5, 6})},
                               {"b", "F16", {2}, std::string("\x00\x3c\x00\xc0", 4)}});
  const std::size_t header_end = good.size() - 28;
  std::mt19937 rng(20261122);
  int opened = 0, rejected = 0;
  for (int trial = 0; trial < 600; ++trial) {
    std::string bytes = good;
    if (trial % 5 == 4) {
      bytes.resize(rng() % good.size());
    } else {
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < flips; ++f) {
        bytes[rng() % header_end] = static_cast<char>(rng() % 256);
      }
    }
    const auto path = write(bytes);
    try {
      SafetensorsFile file(path);
      for (const auto& t : file.tensors()) {
        if (t.dtype == SafetensorsDtype::F32 || t.dtype == SafetensorsDtype::F16 ||
            t.dtype == SafetensorsDtype::BF16) {
          std::vector<float> out(t.element_count);
          file.read_floats(t, out);
        }
      }
      ++opened;
    } catch (const Error&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 300) << "most corruptions must be caught";
  EXPECT_EQ(opened + rejected, 600);
}

}  // namespace
}  // namespace beamscope
