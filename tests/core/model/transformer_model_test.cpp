// The transformer forward pass on small random models of the shapes the
// families need (grouped-query heads, q/k norms, sandwich norms, parallel
// residual, soft-caps, sliding windows, interleaved rotary): its pieces must
// agree with each other (prefill = decode steps = batched rows) and the
// window must hide exactly what it says. Agreement with Hugging Face's
// numbers is tests/core/model/*family* (modelref's reference).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "common/expect_error.h"
#include "model/architectures/architecture.h"
#include "model/ops/rotary.h"
#include "model/transformer_kv_cache.h"
#include "model/transformer_model.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace beamscope {
namespace {

struct Random {
  std::mt19937 rng{7};
  FloatBuffer vector(std::size_t n, float scale, float offset = 0.0f) {
    std::uniform_real_distribution<float> u(-scale, scale);
    FloatBuffer v(n);
    for (float& x : v) x = offset + u(rng);
    return v;
  }
  PanelMatrix matrix(PanelMatrix::Index K, PanelMatrix::Index N) {
    const FloatBuffer w = vector(static_cast<std::size_t>(K * N), 0.3f);
    return PanelMatrix::from_rows(w.data(), K, N);
  }
};

TransformerConfig small_config() {
  TransformerConfig c;
  c.architecture = "test";
  c.hidden = 24;
  c.layers = 2;
  c.heads = 4;
  c.kv_heads = 2;
  c.head_dim = 6;
  c.intermediate = 20;
  c.vocab = 37;
  c.context = 40;
  c.rotary_dims = 4;  // partial
  c.ropes = {RopeSpec{}};
  c.layer_specs = {LayerSpec{}, LayerSpec{}};
  return c;
}

TransformerWeights random_weights(const TransformerConfig& c, std::uint32_t seed) {
  Random r;
  r.rng.seed(seed);
  const auto C = c.hidden, F = c.intermediate;
  const auto QKV = c.q_width() + 2 * c.kv_width();
  const bool ln_bias = c.norm == NormKind::kLayerNorm && c.norm_bias;
  auto norm = [&](std::size_t n) {
    return ops::NormWeights{r.vector(n, 0.1f, c.norm == NormKind::kRmsNormPlusOne ? 0.0f : 1.0f),
                            ln_bias ? r.vector(n, 0.1f) : FloatBuffer()};
  };
  TransformerWeights w;
  for (int l = 0; l < c.layers; ++l) {
    TransformerLayerWeights layer;
    layer.attn_norm = norm(C);
    layer.mlp_norm = norm(C);
    if (c.residual == ResidualLayout::kSandwich) {
      layer.post_attn_norm = norm(C);
      layer.post_mlp_norm = norm(C);
    }
    if (c.qk_norm) {
      layer.q_norm = {r.vector(c.head_dim, 0.1f, 1.0f), {}};
      layer.k_norm = {r.vector(c.head_dim, 0.1f, 1.0f), {}};
    }
    layer.qkv = r.matrix(C, QKV);
    if (c.qkv_bias) layer.qkv_bias = r.vector(QKV, 0.1f);
    layer.out = r.matrix(c.q_width(), C);
    if (c.out_bias) layer.out_bias = r.vector(C, 0.1f);
    const int up = c.mlp == MlpKind::kGated ? 2 * F : F;
    layer.up = r.matrix(C, up);
    if (c.mlp_bias) layer.up_bias = r.vector(up, 0.1f);
    layer.down = r.matrix(F, C);
    if (c.mlp_bias) layer.down_bias = r.vector(C, 0.1f);
    w.layers.push_back(std::move(layer));
  }
  w.final_norm = norm(C);
  w.head = r.matrix(C, c.vocab);
  if (!c.tied_head) {
    const FloatBuffer e = r.vector(static_cast<std::size_t>(c.vocab) * C, 0.5f);
    w.embedding = EmbeddingTable(e.data(), c.vocab, C);
  }
  if (c.position == PositionKind::kLearned) {
    w.positions = r.vector(static_cast<std::size_t>(c.context) * C, 0.1f);
  }
  return w;
}

// Variants that between them switch on every option of the forward pass.
std::vector<TransformerConfig> variants() {
  std::vector<TransformerConfig> out;
  TransformerConfig llama = small_config();
  llama.tied_head = false;
  out.push_back(llama);
  TransformerConfig qwen = small_config();
  qwen.qkv_bias = true;
  qwen.qk_norm = true;
  qwen.rotary_dims = 6;
  out.push_back(qwen);
  TransformerConfig gemma = small_config();
  gemma.norm = NormKind::kRmsNormPlusOne;
  gemma.residual = ResidualLayout::kSandwich;
  gemma.qk_norm = true;
  gemma.activation = Activation::kGeluTanh;
  gemma.embedding_scale = std::sqrt(24.0f);
  gemma.attention_scale = 0.3f;
  gemma.attention_softcap = 5.0f;
  gemma.final_softcap = 3.0f;
  gemma.ropes = {RopeSpec{}, RopeSpec{1000.0f}};
  gemma.layer_specs = {LayerSpec{3, 1}, LayerSpec{0, 0}};
  out.push_back(gemma);
  TransformerConfig neox = small_config();
  neox.heads = neox.kv_heads = 4;
  neox.norm = NormKind::kLayerNorm;
  neox.norm_bias = true;
  neox.residual = ResidualLayout::kParallel;
  neox.mlp = MlpKind::kPlain;
  neox.activation = Activation::kGeluErf;
  neox.qkv_bias = neox.out_bias = neox.mlp_bias = true;
  neox.tied_head = false;
  out.push_back(neox);
  TransformerConfig llama2c = small_config();
  llama2c.rotary_pairing = RotaryPairing::kInterleaved;
  llama2c.rotary_dims = 6;
  RopeSpec scaled;
  scaled.scaling = RopeSpec::Scaling::kLlama3;
  scaled.factor = 8.0f;
  scaled.original_max_positions = 16;
  llama2c.ropes = {scaled};
  out.push_back(llama2c);
  return out;
}

std::vector<float> prefill(TransformerModel& m, const std::vector<std::int32_t>& ids) {
  auto cache = m.new_cache();
  std::vector<float> logits(static_cast<std::size_t>(m.info().vocab_size));
  m.prefill(*cache, ids, logits);
  return logits;
}

float max_difference(const std::vector<float>& a, const float* b) {
  float d = 0.0f;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

TEST(TransformerModel, DecodeStepsAndBatchesAgreeWithPrefillForEveryVariant) {
  const std::vector<std::int32_t> ids = {3, 17, 0, 36, 5, 5, 12, 30, 1};
  int index = 0;
  for (const TransformerConfig& c : variants()) {
    SCOPED_TRACE("variant " + std::to_string(index++));
    TransformerModel model(c, random_weights(c, 11));
    const std::size_t V = static_cast<std::size_t>(c.vocab);
    // Every position's logits from one prefill ...
    std::vector<float> all(ids.size() * V);
    auto whole = model.new_cache();
    model.prefill_all_logits(*whole, ids, all);
    // ... equal a decode step at a time, with an unrelated sequence batched
    // beside it.
    auto stepped = model.new_cache();
    auto other = model.new_cache();
    std::vector<float> two(2 * V);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      KvCache* caches[] = {stepped.get(), other.get()};
      const std::int32_t tokens[] = {ids[i], static_cast<std::int32_t>((7 * i) % V)};
      model.decode(caches, tokens, two);
      std::vector<float> row(two.begin(), two.begin() + static_cast<std::ptrdiff_t>(V));
      EXPECT_LE(max_difference(row, all.data() + i * V), 2e-5f) << "position " << i;
      for (float v : row) ASSERT_TRUE(std::isfinite(v));
    }
    if (c.final_softcap > 0.0f) {
      for (float v : all) ASSERT_LE(std::fabs(v), c.final_softcap);
    }
  }
}

// Attention splits rows, and with fewer rows than threads a row's heads,
// over the pool once a step reads enough keys; every head is computed the
// same way on any thread, so every variant (grouped-query heads, soft-cap,
// windows, q/k norms) must give the same bytes for 1, 2 and 3 threads. The
// heads are widened and the prompt long enough to cross that threshold
// (transformer_model.cpp, kMinParallelFmas), for the prefill of one
// sequence and for a batched step of one and of three rows.
TEST(TransformerModel, AttentionOnThePoolGivesTheSameBytesForAnyThreadCount) {
  for (TransformerConfig c : variants()) {
    SCOPED_TRACE(c.architecture + " " + std::to_string(static_cast<int>(c.residual)));
    c.heads = 8;
    c.kv_heads = c.kv_heads == 4 ? 8 : 2;  // neox: one kv head per head; others grouped
    c.head_dim = 32;
    c.rotary_dims = c.rotary_dims == 6 ? 12 : 32;
    c.context = 256;
    const TransformerWeights weights = random_weights(c, 9);
    auto run = [&](int threads) {
      ThreadPool::set_shared_threads(threads);
      TransformerModel m(c, TransformerWeights(weights));
      const std::size_t V = static_cast<std::size_t>(c.vocab);
      std::vector<float> out(5 * V);
      std::vector<std::unique_ptr<KvCache>> caches;
      for (int b = 0; b < 3; ++b) {
        std::vector<std::int32_t> prompt;
        for (int i = 0; i < 150 + 7 * b; ++i) prompt.push_back((i * 11 + b) % c.vocab);
        caches.push_back(m.new_cache());
        std::vector<float> last(V);
        m.prefill(*caches.back(), prompt, last);
        if (b == 0) std::copy(last.begin(), last.end(), out.begin());
      }
      KvCache* one[] = {caches[0].get()};
      const std::int32_t token[] = {3};
      m.decode(one, token, std::span(out).subspan(V, V));
      KvCache* three[] = {caches[0].get(), caches[1].get(), caches[2].get()};
      const std::int32_t tokens[] = {4, 5, 6};
      m.decode(three, tokens, std::span(out).subspan(2 * V));
      return out;
    };
    const std::vector<float> alone = run(1);
    for (int threads : {2, 3}) {
      EXPECT_EQ(run(threads), alone) << threads << " threads";
    }
  }
  ThreadPool::set_shared_threads(physical_core_count());
}

TEST(TransformerModel, TheSlidingWindowHidesExactlyThePositionsBeyondIt) {
  // One layer: the keys and values at a position depend only on its token,
  // so with a window of 3 the logits at position 5 see tokens 3..5 only.
  TransformerConfig c = small_config();
  c.layers = 1;
  c.layer_specs = {LayerSpec{3, 0}};
  TransformerModel windowed(c, random_weights(c, 5));
  const std::vector<std::int32_t> a = {1, 2, 3, 4, 5, 6};
  std::vector<std::int32_t> b = a;
  b[2] = 20;  // outside the window of the last position
  EXPECT_EQ(prefill(windowed, a), prefill(windowed, b));
  b = a;
  b[3] = 20;  // inside it
  EXPECT_NE(prefill(windowed, a), prefill(windowed, b));

  c.layer_specs = {LayerSpec{}};  // no window: every position counts
  TransformerModel full(c, random_weights(c, 5));
  b = a;
  b[0] = 20;
  EXPECT_NE(prefill(full, a), prefill(full, b));
}

TEST(TransformerModel, WeightsThatDoNotFitTheConfigAreRefused) {
  const TransformerConfig c = small_config();
  TransformerWeights w = random_weights(c, 1);
  w.layers[1].qkv_bias = FloatBuffer(3);  // the config has no q/k/v bias
  EXPECT_THROW(TransformerModel(c, std::move(w), "x"), Error);
  TransformerConfig wrong = small_config();
  wrong.heads = 3;  // not a multiple of kv_heads = 2
  EXPECT_THROW(TransformerModel(wrong, random_weights(small_config(), 1), "x"), Error);
}

TEST(TransformerModel, ReportsItsSizeAndTheCacheHoldsOnlyKeyValueHeads) {
  const TransformerConfig c = small_config();
  TransformerModel model(c, random_weights(c, 3));
  EXPECT_EQ(model.info().architecture, "test");
  EXPECT_EQ(model.info().vocab_size, 37);
  EXPECT_EQ(model.info().context_length, 40);
  // embed 37x24 (tied) + 2 x (2 norms + qkv 24x24 + out 24x24 + gate/up/down) + final norm
  const std::size_t per_layer = 2 * 24 + 24 * (24 + 2 * 12) + 24 * 24 + 3 * 24 * 20;
  EXPECT_EQ(model.info().parameter_count, 37 * 24 + 2 * per_layer + 24);
  auto cache = model.new_cache();
  auto& own = dynamic_cast<TransformerKvCache&>(*cache);
  EXPECT_EQ(own.width(), 12) << "2 kv heads x 6";
}

TEST(Rotary, Llama3ScalingKeepsHighFrequenciesAndSlowsLowOnes) {
  RopeSpec plain;
  plain.theta = 500000.0f;
  RopeSpec scaled = plain;
  scaled.scaling = RopeSpec::Scaling::kLlama3;
  scaled.factor = 32.0f;
  scaled.original_max_positions = 8192;
  const auto a = ops::rope_inv_freq(plain, 64), b = ops::rope_inv_freq(scaled, 64);
  ASSERT_EQ(a.size(), 32u);
  EXPECT_EQ(a[0], b[0]) << "wavelength 2 pi, far below 8192 / 4";
  EXPECT_FLOAT_EQ(b[31], a[31] / 32.0f) << "wavelength far above 8192";
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_LE(b[i], a[i]);
    EXPECT_GE(b[i], a[i] / 32.0f * (1 - 1e-6f));
  }
  RopeSpec linear = plain;
  linear.scaling = RopeSpec::Scaling::kLinear;
  linear.factor = 4.0f;
  EXPECT_FLOAT_EQ(ops::rope_inv_freq(linear, 64)[5], a[5] / 4.0f);
}

TEST(Rotary, PairingsTurnTheRightDimensions) {
  const float cos[] = {0.0f}, sin[] = {1.0f};  // a quarter turn
  float halves[] = {1.0f, 7.0f, 2.0f, 9.0f};   // rot 2 of head_dim 4: pairs (0, 1)
  ops::rotate_heads(RotaryPairing::kHalves, halves, 1, 4, 2, cos, sin);
  EXPECT_EQ((std::vector<float>(halves, halves + 4)),
            (std::vector<float>{-7.0f, 1.0f, 2.0f, 9.0f}));
  float pairs[] = {1.0f, 7.0f, 2.0f, 9.0f};
  const float cos2[] = {0.0f, 1.0f}, sin2[] = {1.0f, 0.0f};
  ops::rotate_heads(RotaryPairing::kInterleaved, pairs, 1, 4, 4, cos2, sin2);
  EXPECT_EQ((std::vector<float>(pairs, pairs + 4)), (std::vector<float>{-7.0f, 1.0f, 2.0f, 9.0f}));
  float rotate_half[] = {1.0f, 7.0f, 2.0f, 9.0f};  // rot 4: pairs (0, 2), (1, 3)
  ops::rotate_heads(RotaryPairing::kHalves, rotate_half, 1, 4, 4, cos2, sin2);
  EXPECT_EQ((std::vector<float>(rotate_half, rotate_half + 4)),
            (std::vector<float>{-2.0f, 7.0f, 1.0f, 9.0f}));
}

// A layer count in a count's range (up to 2^30) but far beyond any model's
// is refused as it is read, before the layer kinds are sized by it.
TEST(TransformerConfigs, AHugeLayerCountIsRefusedAsItIsRead) {
  const nlohmann::json config = {{"hidden_size", 64}, {"num_hidden_layers", 1 << 30}};
  const char* expected = "\"num_hidden_layers\" = 1073741824 is more than 1024 layers";
  EXPECT_ERROR_CONTAINS(read_llama_family_config(config, "config.json", "llama"), expected);
  EXPECT_ERROR_CONTAINS(read_gemma_config(config, "config.json", "gemma3_text"), expected);
  EXPECT_ERROR_CONTAINS(read_gpt_neox_config(config, "config.json", "gpt_neox"), expected);
}

}  // namespace
}  // namespace beamscope
