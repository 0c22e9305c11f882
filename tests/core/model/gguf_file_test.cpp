// The GGUF reader on files built byte by byte here: a valid file reads back
// exactly, and each kind of damage a hostile file can carry gives one
// sentence naming the file and what is wrong (the catalogue).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/expect_error.h"
#include "model/gguf/gguf_file.h"
#include "model/gguf/gguf_model.h"
#include "model/gguf/gguf_tensor_type.h"

namespace beamscope {
namespace {

// Little-endian GGUF bytes, written field by field.
struct Bytes {
  std::vector<std::byte> b;
  template <typename T>
  Bytes& put(T v) {
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    b.insert(b.end(), p, p + sizeof v);
    return *this;
  }
  Bytes& str(const std::string& s) {
    put<std::uint64_t>(s.size());
    for (char c : s) b.push_back(static_cast<std::byte>(c));
    return *this;
  }
  void pad(std::size_t alignment) {
    while (b.size() % alignment) b.push_back(std::byte{0});
  }
};

struct TensorSpec {
  std::string name;
  std::vector<std::uint64_t> dims;
  std::uint32_t type;
  std::uint64_t offset;
};

// A file with general.architecture, a string array, and `tensors` whose
// data (filled with `fill`) is `data_bytes` long.
std::vector<std::byte> gguf(const std::vector<TensorSpec>& tensors, std::size_t data_bytes,
                            std::uint32_t version = 3, std::uint64_t alignment = 32) {
  Bytes f;
  f.b = {std::byte{'G'}, std::byte{'G'}, std::byte{'U'}, std::byte{'F'}};
  f.put<std::uint32_t>(version).put<std::uint64_t>(tensors.size()).put<std::uint64_t>(3);
  f.str("general.architecture").put<std::uint32_t>(8).str("llama");
  f.str("general.alignment")
      .put<std::uint32_t>(4)
      .put<std::uint32_t>(static_cast<std::uint32_t>(alignment));
  f.str("tokenizer.ggml.tokens").put<std::uint32_t>(9).put<std::uint32_t>(8).put<std::uint64_t>(2);
  f.str("a").str("bc");
  for (const TensorSpec& t : tensors) {
    f.str(t.name).put<std::uint32_t>(static_cast<std::uint32_t>(t.dims.size()));
    for (auto d : t.dims) f.put<std::uint64_t>(d);
    f.put<std::uint32_t>(t.type).put<std::uint64_t>(t.offset);
  }
  f.pad(alignment);
  for (std::size_t i = 0; i < data_bytes; ++i) f.b.push_back(std::byte{0x3c});
  return f.b;
}

std::vector<std::byte> valid() {
  // a: F32 [4, 2] = 32 bytes at 0; b: Q8_0 [32] = 34 bytes at 32.
  return gguf({{"a", {4, 2}, 0, 0}, {"b", {32}, 8, 32}}, 66);
}

TEST(GgufFile, ReadsAValidFile) {
  const auto bytes = valid();
  const GgufFile f(bytes, "ok.gguf");
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.string("general.architecture"), "llama");
  EXPECT_EQ(f.integer("general.alignment"), 32);
  const auto tokens = f.strings("tokenizer.ggml.tokens");
  ASSERT_TRUE(tokens);
  EXPECT_EQ(*tokens, (std::vector<std::string_view>{"a", "bc"}));
  ASSERT_EQ(f.tensors().size(), 2u);
  EXPECT_EQ(f.tensor("a")->bytes, 32u);
  EXPECT_EQ(f.tensor("b")->bytes, 34u);
  EXPECT_EQ(f.tensor("b")->offset - f.tensor("a")->offset, 32u);
  EXPECT_FALSE(f.find("missing"));
  EXPECT_ERROR_CONTAINS(f.integer("general.architecture"), "is not an integer");
}

TEST(GgufFile, EveryDamageIsOneSentenceNamingTheFile) {
  struct Case {
    const char* what;
    std::vector<std::byte> bytes;
    const char* message;
  };
  std::vector<Case> cases;
  auto good = valid();
  cases.push_back({"empty", {}, "is not a GGUF file"});
  auto magic = good;
  magic[0] = std::byte{'X'};
  cases.push_back({"bad magic", magic, "is not a GGUF file"});
  cases.push_back({"version 1", gguf({}, 0, 1), "is GGUF version 1; only versions 2 and 3"});
  for (std::size_t cut : {6u, 20u, 40u, 100u, 150u}) {
    cases.push_back(
        {"truncated", std::vector<std::byte>(good.begin(), good.begin() + cut), "is truncated"});
  }
  cases.push_back({"truncated data", std::vector<std::byte>(good.begin(), good.end() - 1),
                   "tensor 'b' (34 bytes at offset 32) runs past the end"});
  auto huge_tensors = good;
  const std::uint64_t big = std::uint64_t(1) << 60;
  std::memcpy(huge_tensors.data() + 8, &big, 8);
  cases.push_back({"huge tensor count", huge_tensors, "tensors, more than"});
  auto huge_values = good;
  std::memcpy(huge_values.data() + 16, &big, 8);
  cases.push_back({"huge metadata count", huge_values, "metadata entries, more than"});
  auto huge_key = good;
  std::memcpy(huge_key.data() + 24, &big, 8);
  cases.push_back({"huge string length", huge_key, "is truncated: metadata entry 0's key"});
  // The string array's count (after its key, type and element type).
  auto huge_array = good;
  const std::size_t array_count = 24 + 8 + 20 + 4 + 8 + 5 + 8 + 17 + 4 + 4 + 8 + 21 + 4 + 4;
  std::memcpy(huge_array.data() + array_count, &big, 8);
  cases.push_back({"huge array", huge_array, "'tokenizer.ggml.tokens' claims"});
  cases.push_back(
      {"misaligned", gguf({{"a", {4, 2}, 0, 4}}, 64), "not a multiple of the alignment 32"});
  cases.push_back({"alignment not a power of two", gguf({}, 0, 3, 24), "general.alignment"});
  cases.push_back({"overlap", gguf({{"a", {16}, 0, 0}, {"b", {8}, 0, 32}, {"c", {16}, 0, 32}}, 96),
                   "has overlapping tensors"});
  cases.push_back({"unknown type", gguf({{"a", {4}, 0, 0}, {"b", {32}, 77, 32}}, 64),
                   "gives tensor 'b' the unknown tensor type 77"});
  cases.push_back(
      {"partial block", gguf({{"a", {33}, 8, 0}}, 64), "not a whole number of Q8_0 blocks"});
  cases.push_back({"zero dimension", gguf({{"a", {4, 0}, 0, 0}}, 32), "the dimension 0"});
  cases.push_back({"huge dimensions", gguf({{"a", {big, big}, 0, 0}}, 32), "impossibly large"});
  cases.push_back({"five dimensions", gguf({{"a", {1, 1, 1, 1, 1}, 0, 0}}, 32), "5 dimensions"});
  cases.push_back(
      {"repeated name", gguf({{"a", {8}, 0, 0}, {"a", {8}, 0, 32}}, 64), "two tensors named 'a'"});
  cases.push_back({"offset past the end", gguf({{"a", {8}, 0, big}}, 32), "runs past the end"});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    try {
      GgufFile f(c.bytes, "bad.gguf");
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      const std::string m = e.what();
      EXPECT_EQ(m.rfind("bad.gguf ", 0), 0u) << m;
      EXPECT_NE(m.find(c.message), std::string::npos) << m;
      EXPECT_EQ(m.back(), '.') << m;
      EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
  }
}

// Found by fuzz_gguf: a block_count of 2^30 (in the key's own range) sized
// the list of layer kinds, 8 GB, before the config's validation refused it.
TEST(GgufFile, AHugeBlockCountIsRefusedBeforeAnythingIsSizedByIt) {
  Bytes f;
  f.b = {std::byte{'G'}, std::byte{'G'}, std::byte{'U'}, std::byte{'F'}};
  f.put<std::uint32_t>(3).put<std::uint64_t>(0).put<std::uint64_t>(3);
  f.str("general.architecture").put<std::uint32_t>(8).str("llama");
  f.str("llama.embedding_length").put<std::uint32_t>(4).put<std::uint32_t>(64);
  f.str("llama.block_count").put<std::uint32_t>(4).put<std::uint32_t>(1u << 30);
  const GgufFile file(f.b, "layers.gguf");
  EXPECT_ERROR_CONTAINS(gguf_transformer_config(file),
                        "layers.gguf has llama.block_count = 1073741824, more than 1024 layers");
}

TEST(GgufTensorType, Q8_0AndQ4_0BlocksDecodeByTheirDefinition) {
  // Q8_0: d = 0.5 (half 0x3800), q = -3 .. 28.
  std::vector<std::byte> q8(34);
  q8[0] = std::byte{0x00};
  q8[1] = std::byte{0x38};
  for (int i = 0; i < 32; ++i) q8[2 + i] = static_cast<std::byte>(static_cast<std::int8_t>(i - 3));
  float out[32];
  dequantize(GgmlType::kQ8_0, q8.data(), 32, out);
  for (int i = 0; i < 32; ++i) EXPECT_EQ(out[i], 0.5f * static_cast<float>(i - 3));
  // Q4_0: d = 2, byte i holds value i (low nibble) and i + 16 (high).
  std::vector<std::byte> q4(18);
  q4[0] = std::byte{0x00};
  q4[1] = std::byte{0x40};
  for (int i = 0; i < 16; ++i) q4[2 + i] = static_cast<std::byte>(i | ((15 - i) << 4));
  dequantize(GgmlType::kQ4_0, q4.data(), 32, out);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(out[i], 2.0f * static_cast<float>(i - 8));
    EXPECT_EQ(out[i + 16], 2.0f * static_cast<float>(7 - i));
  }
  EXPECT_EQ(ggml_type_name(GgmlType::kIQ2_XXS), "IQ2_XXS");
  EXPECT_FALSE(ggml_type_info(4));  // retired Q4_2
}

}  // namespace
}  // namespace beamscope
