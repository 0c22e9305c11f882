// llama2.c checkpoints: the headers (legacy version 0, "ak42" version 1)
// and their hostile forms. The real trained model's greedy output is checked
// against llama2.c's own in modelref's stories260K test.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "model/llama2c_checkpoint.h"
#include "model_test_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

struct Dims {
  int dim = 8, hidden = 12, layers = 2, heads = 2, kv_heads = 1, vocab = 10, seq_len = 6;
};

std::uint64_t floats_of(const Dims& d, bool shared, int version) {
  const std::uint64_t head = d.dim / d.heads, kv = head * d.kv_heads;
  std::uint64_t n = static_cast<std::uint64_t>(d.vocab) * d.dim + d.layers * d.dim * 2 +
                    d.layers * (d.dim * d.dim * 2 + d.dim * kv * 2) +
                    d.layers * d.dim * d.hidden * 3 + d.dim;
  if (version == 0) n += static_cast<std::uint64_t>(d.seq_len) * head;
  if (!shared) n += static_cast<std::uint64_t>(d.vocab) * d.dim;
  return n;
}

std::string checkpoint(const Dims& d, bool shared, int version, std::int64_t extra_bytes = 0) {
  std::string out;
  auto put = [&](std::int32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  if (version > 0) {
    put(0x616b3432);
    put(version);
  }
  for (int v : {d.dim, d.hidden, d.layers, d.heads, d.kv_heads,
                version == 0 && !shared ? -d.vocab : d.vocab, d.seq_len}) {
    put(v);
  }
  if (version > 0) {
    out.push_back(shared ? 1 : 0);
    out.resize(256, '\0');
  }
  std::vector<float> weights(floats_of(d, shared, version));
  for (std::size_t i = 0; i < weights.size(); ++i) weights[i] = 0.01f * static_cast<float>(i % 17);
  out += test::f32_bytes(weights);
  out.resize(static_cast<std::size_t>(static_cast<std::int64_t>(out.size()) + extra_bytes), '\0');
  return out;
}

Llama2cHeader header_of(const std::string& bytes) {
  return read_llama2c_header(
      std::span<const std::byte>(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()),
      "m.bin");
}

std::string error_of(const std::string& bytes) {
  try {
    header_of(bytes);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Llama2cCheckpoint, ReadsBothHeaderVersionsAndTheClassifierFlag) {
  const Dims d;
  const Llama2cHeader v0 = header_of(checkpoint(d, true, 0));
  EXPECT_EQ(v0.version, 0);
  EXPECT_EQ(v0.header_bytes, 28u);
  EXPECT_TRUE(v0.shared_classifier);
  EXPECT_EQ(v0.vocab_size, 10);
  const Llama2cHeader untied = header_of(checkpoint(d, false, 0));
  EXPECT_FALSE(untied.shared_classifier) << "a negative vocab_size";
  EXPECT_EQ(untied.vocab_size, 10);
  const Llama2cHeader v1 = header_of(checkpoint(d, false, 1));
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.header_bytes, 256u);
  EXPECT_FALSE(v1.shared_classifier);
  const TransformerConfig c = llama2c_transformer_config(v1);
  EXPECT_EQ(c.rotary_pairing, RotaryPairing::kInterleaved);
  EXPECT_EQ(c.kv_width(), 4);
  EXPECT_EQ(c.context, 6);
}

TEST(Llama2cCheckpoint, BothVersionsOfTheSameWeightsGiveTheSameModelShape) {
  test::TempDir dir;
  const Dims d;
  for (int version : {0, 1}) {
    for (bool shared : {true, false}) {
      const auto path = dir.path() / ("m" + std::to_string(version) + ".bin");
      test::write_bytes(path, checkpoint(d, shared, version));
      auto model = load_llama2c_checkpoint(path);
      EXPECT_EQ(model->info().architecture, "llama2c");
      EXPECT_EQ(model->info().vocab_size, 10);
      auto cache = model->new_cache();
      std::vector<float> logits(10);
      const std::int32_t ids[] = {1, 4, 9};
      model->prefill(*cache, ids, logits);
      for (float v : logits) EXPECT_TRUE(std::isfinite(v));
    }
  }
}

TEST(Llama2cCheckpoint, HostileHeaders) {
  const Dims d;
  EXPECT_NE(error_of("abc").find("m.bin: is too short"), std::string::npos);
  EXPECT_NE(error_of(checkpoint(d, true, 0, -4)).find("bytes, but its header describes"),
            std::string::npos);
  EXPECT_NE(error_of(checkpoint(d, true, 0, 4)).find("bytes, but its header describes"),
            std::string::npos);
  EXPECT_NE(error_of(checkpoint(d, true, 2)).find("version 2"), std::string::npos);
  Dims odd = d;
  odd.heads = 3;
  EXPECT_NE(error_of(checkpoint(odd, true, 0)).find("not divisible by n_heads"), std::string::npos);
  Dims gqa = d;
  gqa.kv_heads = 3;
  gqa.heads = 4;
  EXPECT_NE(error_of(checkpoint(gqa, true, 0)).find("not a multiple of n_kv_heads"),
            std::string::npos);
  std::string huge = checkpoint(d, true, 0);
  const std::int32_t big = 1 << 30;
  std::memcpy(huge.data(), &big, 4);  // dim
  EXPECT_NE(error_of(huge).find("dim = 1073741824 is outside"), std::string::npos);
}

}  // namespace
}  // namespace beamscope
