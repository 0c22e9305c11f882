// Loading a GPT-2 folder: config.json rules and weight-file rules. Every
// broken input must be a beamscope::Error naming the file and the problem,
// found before any math runs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/expect_error.h"
#include "model/gpt2_model.h"
#include "model/safetensors.h"
#include "model_test_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

nlohmann::json good_config() {
  return nlohmann::json::parse(test::gpt2_config_json(test::tiny_gpt2_config()));
}

// ---- config.json ----

TEST(Gpt2ConfigTest, ParsesAGoodConfig) {
  auto j = good_config();
  j.erase("n_inner");
  j["n_ctx"] = 24;
  j.erase("n_positions");
  j["activation_function"] = "gelu";
  const Gpt2Config c = parse_gpt2_config(j, "config.json");
  EXPECT_EQ(c.n_embd, 32);
  EXPECT_EQ(c.n_head, 4);
  EXPECT_EQ(c.head_dim(), 8);
  EXPECT_EQ(c.n_positions, 24) << "n_ctx is the older name of n_positions";
  EXPECT_EQ(c.n_inner, 128) << "absent n_inner means 4 * n_embd";
  EXPECT_EQ(c.activation, Gpt2Config::Activation::GeluErf);
  j["activation_function"] = "gelu_pytorch_tanh";
  j["n_inner"] = nullptr;
  const Gpt2Config tanh = parse_gpt2_config(j, "config.json");
  EXPECT_EQ(tanh.activation, Gpt2Config::Activation::GeluTanh);
  EXPECT_EQ(tanh.n_inner, 128) << "null n_inner means 4 * n_embd";
}

TEST(Gpt2ConfigTest, RejectsBadConfigs) {
  auto with = [](const char* key, nlohmann::json value) {
    auto j = good_config();
    if (value.is_discarded()) {
      j.erase(key);
    } else {
      j[key] = value;
    }
    return j;
  };
  const auto missing = nlohmann::json::value_t::discarded;
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("n_embd", missing), "config.json"),
                        "config.json: \"n_embd\" is missing.");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("n_head", 5), "config.json"),
                        "n_embd 32 is not divisible by n_head 5");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("n_layer", -2), "config.json"), "out of range");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("n_layer", 0), "config.json"), "out of range");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("vocab_size", "50"), "config.json"),
                        "\"vocab_size\" must be an integer");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("n_embd", 1 << 20), "config.json"),
                        "\"n_embd\" = 1048576 is outside the supported range");
  // No n_inner: the default 4 * n_embd must not overflow an int before the
  // range check (UBSan found 4 * 894032225 by fuzzing).
  auto huge = with("n_embd", 894032225);
  huge.erase("n_inner");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(huge, "config.json"),
                        "\"n_embd\" = 894032225 is outside the supported range");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("activation_function", "relu"), "config.json"),
                        "activation_function 'relu' is not supported (supported: gelu_new");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("activation_function", 3), "config.json"),
                        "must be a string");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(with("layer_norm_epsilon", -1.0), "config.json"),
                        "layer_norm_epsilon");
  EXPECT_ERROR_CONTAINS(
      parse_gpt2_config(with("scale_attn_by_inverse_layer_idx", true), "config.json"),
      "\"scale_attn_by_inverse_layer_idx\" = true is not supported");
  EXPECT_ERROR_CONTAINS(parse_gpt2_config(nlohmann::json::array(), "config.json"),
                        "not a JSON object");
}

TEST(Gpt2ConfigTest, CountsParameters) {
  // GPT-2 small: 124,439,808 parameters with the tied head (the published count).
  Gpt2Config c;
  c.n_embd = 768;
  c.n_head = 12;
  c.n_layer = 12;
  c.n_positions = 1024;
  c.vocab_size = 50257;
  c.n_inner = 3072;
  EXPECT_EQ(c.parameter_count(true), 124439808u);
}

// ---- weights ----

class Gpt2LoaderTest : public ::testing::Test {
 protected:
  Gpt2LoaderTest() : config_(test::tiny_gpt2_config()) {}

  // All tensors of a random model, F32, with a transformer. prefix; tests
  // break one thing and write the folder.
  std::vector<test::TensorToWrite> tensors(const std::string& prefix = "transformer.") {
    Gpt2Weights w = random_gpt2_weights(config_, 3);
    std::vector<test::TensorToWrite> out;
    for_each_gpt2_tensor(config_, w,
                         [&](const std::string& name, const auto& shape, FloatBuffer& storage) {
                           out.push_back({prefix + name, "F32", shape, test::f32_bytes(storage)});
                         });
    return out;
  }
  test::TensorToWrite* find(std::vector<test::TensorToWrite>& ts, const std::string& name) {
    for (auto& t : ts) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }
  std::filesystem::path write(const std::vector<test::TensorToWrite>& ts) {
    test::write_bytes(dir_.path() / "model.safetensors", test::safetensors_bytes(ts));
    test::write_bytes(dir_.path() / "config.json", test::gpt2_config_json(config_));
    return dir_.path();
  }

  Gpt2Config config_;
  test::TempDir dir_;
};

TEST_F(Gpt2LoaderTest, LoadsBothNamingStyles) {
  for (const std::string prefix : {"transformer.", ""}) {
    const auto dir = write(tensors(prefix));
    auto model = load_gpt2_model(dir);
    EXPECT_EQ(model->info().vocab_size, 50);
    EXPECT_EQ(model->info().path, dir.string());
  }
}

TEST_F(Gpt2LoaderTest, LoadedWeightsGiveTheSameLogitsAsTheInMemoryModel) {
  Gpt2Weights w = random_gpt2_weights(config_, 9, /*tied_head=*/false);
  test::write_gpt2_folder(dir_.path(), config_, w);
  auto loaded = load_gpt2_model(dir_.path());
  Gpt2Model in_memory(config_, random_gpt2_weights(config_, 9, false));
  std::vector<float> a(50), b(50);
  const std::vector<std::int32_t> ids = {1, 2, 3};
  auto ca = loaded->new_cache(), cb = in_memory.new_cache();
  loaded->prefill(*ca, ids, a);
  in_memory.prefill(*cb, ids, b);
  EXPECT_EQ(a, b) << "a file round trip must be bit-exact for F32";
}

TEST_F(Gpt2LoaderTest, MissingTensorIsNamed) {
  const std::string removed = "h.0.attn.c_proj.weight";
  auto ts = tensors();
  std::erase_if(ts, [&](const auto& t) { return t.name == "transformer." + removed; });
  EXPECT_ERROR_CONTAINS(load_gpt2_model(write(ts)),
                        "model.safetensors: tensor 'h.0.attn.c_proj.weight' is missing");
}

TEST_F(Gpt2LoaderTest, WrongShapeIsNamedWithExpectedAndActual) {
  auto ts = tensors();
  auto* t = find(ts, "transformer.h.1.mlp.c_fc.weight");
  // Stored transposed ([out, in], as an nn.Linear export would be).
  t->shape = {128, 32};
  EXPECT_ERROR_CONTAINS(load_gpt2_model(write(ts)),
                        "tensor 'transformer.h.1.mlp.c_fc.weight' has shape [128, 32] but the "
                        "config needs [32, 128].");
}

TEST_F(Gpt2LoaderTest, ExtraLayerIsUnexpected) {
  auto ts = tensors();
  ts.push_back(
      {"transformer.h.2.ln_1.weight", "F32", {32}, test::f32_bytes(std::vector<float>(32))});
  EXPECT_ERROR_CONTAINS(load_gpt2_model(write(ts)),
                        "tensor 'transformer.h.2.ln_1.weight' is not part of a GPT-2 model with 2 "
                        "layers");
}

TEST_F(Gpt2LoaderTest, AttentionBuffersAreIgnored) {
  auto ts = tensors();
  ts.push_back({"transformer.h.0.attn.bias", "F32", {1, 1, 2, 2}, test::f32_bytes({1, 0, 1, 1})});
  ts.push_back({"transformer.h.1.attn.masked_bias", "F32", {}, test::f32_bytes({-1e4f})});
  ts.push_back({"h.1.attn.bias", "BOOL", {1}, std::string(1, '\1')});
  EXPECT_NO_THROW(load_gpt2_model(write(ts)));
}

TEST_F(Gpt2LoaderTest, BothPrefixedAndBareNamesAreAmbiguous) {
  auto ts = tensors();
  ts.push_back({"wte.weight", "F32", {50, 32}, test::f32_bytes(std::vector<float>(50 * 32))});
  EXPECT_ERROR_CONTAINS(load_gpt2_model(write(ts)),
                        "holds both 'wte.weight' and 'transformer.wte.weight'");
}

TEST_F(Gpt2LoaderTest, IntegerWeightsAreRejected) {
  auto ts = tensors();
  auto* t = find(ts, "transformer.ln_f.bias");
  t->dtype = "I32";
  EXPECT_ERROR_CONTAINS(load_gpt2_model(write(ts)),
                        "tensor 'transformer.ln_f.bias' has dtype I32; model weights must be F32, "
                        "F16 or BF16.");
}

TEST_F(Gpt2LoaderTest, UntiedHeadOfTheWrongShape) {
  auto ts = tensors();
  ts.push_back({"lm_head.weight", "F32", {49, 32}, test::f32_bytes(std::vector<float>(49 * 32))});
  EXPECT_ERROR_CONTAINS(load_gpt2_model(write(ts)),
                        "tensor 'lm_head.weight' has shape [49, 32] but the config needs [50, 32]");
}

TEST_F(Gpt2LoaderTest, ConfigAndWeightsDisagreeOnVocab) {
  const auto dir = write(tensors());
  config_.vocab_size = 51;
  test::write_bytes(dir / "config.json", test::gpt2_config_json(config_));
  EXPECT_ERROR_CONTAINS(load_gpt2_model(dir),
                        "tensor 'transformer.wte.weight' has shape [50, 32] but the config needs "
                        "[51, 32]");
}

TEST_F(Gpt2LoaderTest, MissingFilesAndBrokenConfig) {
  EXPECT_ERROR_CONTAINS(load_gpt2_model(dir_.path()),
                        "is not a model folder: config.json is missing.");
  test::write_bytes(dir_.path() / "config.json", test::gpt2_config_json(config_));
  EXPECT_ERROR_CONTAINS(load_gpt2_model(dir_.path()), "has no model.safetensors");
  test::write_bytes(dir_.path() / "model.safetensors", "garbage!garbage!");
  test::write_bytes(dir_.path() / "config.json", "{\"n_embd\": ");
  EXPECT_ERROR_CONTAINS(load_gpt2_model(dir_.path()), "config.json is not valid JSON");
  test::write_bytes(dir_.path() / "config.json", "{\"n_embd\": 1e999}");
  EXPECT_ERROR_CONTAINS(load_gpt2_model(dir_.path()),
                        "config.json is not valid JSON (number overflow");
}

TEST_F(Gpt2LoaderTest, ReportsProgressAndCanBeCancelled) {
  const auto dir = write(tensors());
  std::vector<double> fractions;
  load_gpt2_model(dir, [&](double f, std::string_view) {
    fractions.push_back(f);
    return true;
  });
  ASSERT_GE(fractions.size(), 3u);
  EXPECT_EQ(fractions.front(), 0.0);
  EXPECT_EQ(fractions.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));

  int calls = 0;
  EXPECT_THROW(load_gpt2_model(dir, [&](double, std::string_view) { return ++calls < 4; }),
               Cancelled);
  EXPECT_EQ(calls, 4) << "stops at the first refusal";
}

}  // namespace
}  // namespace beamscope
