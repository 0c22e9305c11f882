// GGUF files through the real `beamscope-cli`, against an independent
// reference (tests/data/model/gguf/): random models of every GGUF family
// (llama, qwen2, qwen3, gemma3, gpt2, gptneox) whose tensors are F32, F16,
// BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K or Q6_K, written
// by our own GGUF writer as llama.cpp's converter lays a model out (Q/K rows
// permuted for llama's rope, Gemma norms stored as 1 + w, GPT-NeoX q|k|v
// regrouped). The reference dequantizes the blocks with its own numpy code,
// undoes the converter's changes and runs Hugging Face semantics in float64.
//
// Tolerance: 1e-4 on log-probs, as for the safetensors families: the engine
// computes in float32 on the same dequantized values (differences ~1e-5);
// a wrong block layout, scale, permutation or norm moves log-probs by far more.
// The embedded tokenizers are compared with independent ones of the same
// vocabulary: the byte-level one with a vocab.json + merges.txt folder, the
// SentencePiece-style one with llama2.c's score-merging encoder.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/cli_test_util.h"
#include "app/reference_cases.h"
#include "app/reference_json.h"
#include "common/python_reference.h"
#include "common/require_reference.h"
#include "model/gguf/gguf_model.h"
#include "model/ops/rotary.h"

namespace beamscope::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kTolerance = 1e-4;

class GgufCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ref_.missing = python_lacks("torch, numpy");
    if (!ref_.missing.empty()) return;
    ref_.make_root("gguf");
    ASSERT_TRUE(ref_.write_with_python("model/gguf/make_gguf_references.py"));
    ref_.load();
    // The fidelity clause's arithmetic: float activations on the
    // dequantized weights (the default 8-bit activations are checked
    // against llama.cpp in llama_cpp_oracle_test.cpp).
    ::setenv("BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS", "1", 1);
  }
  static void TearDownTestSuite() {
    ::unsetenv("BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS");
    ref_.remove();
  }
  static fs::path file(const json& c, const std::string& suffix) { return ref_.file(c, suffix); }

  static ReferenceCases ref_;
};
ReferenceCases GgufCli::ref_;

TEST_F(GgufCli, LogProbsMatchTheReferenceForEveryFamilyAndType) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  ASSERT_GE(ref_.cases.size(), 7u);
  for (const auto& c : ref_.cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const json expected = read_json(file(c, ".expected.json"));
    const int V = expected["vocab_size"].get<int>();
    double worst = 0;
    for (const auto& prompt : expected["prompts"]) {
      const CliResult r = run_cli({"next", "--model", file(c, ".gguf").string(), "--prompt-ids",
                                   join_ids(prompt["ids"]), "--top", std::to_string(V)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const json out = json::parse(r.out);
      ASSERT_EQ(out["top"].size(), static_cast<std::size_t>(V));
      for (const auto& row : out["top"]) {
        const double got = row["logprob"].get<double>();
        const double want = prompt["logprobs"][row["id"].get<int>()].get<double>();
        worst = std::max(worst, std::abs(got - want));
      }
    }
    EXPECT_LE(worst, kTolerance);
    std::cout << "  " << c["name"].get<std::string>() << ": max |C++ - reference| = " << worst
              << std::endl;

    const CliResult info = run_cli({"info", "--model", file(c, ".gguf").string()});
    ASSERT_EQ(info.exit_code, 0) << info.err;
    const json got = json::parse(info.out);
    for (const char* key :
         {"architecture", "vocab_size", "context_length", "parameter_count", "bos_id", "eos_ids"}) {
      EXPECT_EQ(got[key], expected["info"][key]) << "info." << key;
    }
  }
}

TEST_F(GgufCli, ModelsListsEachFileFromItsHeader) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  // `models` reads only the header and tensor table; what it says must be
  // what loading the file says.
  const CliResult r = run_cli({"models", "--folder", ref_.root.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json listed = json::parse(r.out);
  for (const auto& c : ref_.cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const std::string path = file(c, ".gguf").string();
    const auto entry = std::find_if(listed.begin(), listed.end(),
                                    [&](const json& e) { return e["path"] == path; });
    ASSERT_NE(entry, listed.end());
    EXPECT_EQ((*entry)["can_open"], true) << (*entry)["reason"];
    EXPECT_NE((*entry)["architecture"], "");
    const json info = json::parse(run_cli({"info", "--model", path}).out);
    EXPECT_EQ((*entry)["parameter_count"], info["parameter_count"]);
    EXPECT_EQ((*entry)["dtype"], info["dtype"]);
  }
}

// Quantized weights stay quantized in memory (QuantPanels, EmbeddingTable's
// blocks): what a Q4_K_M model holds is about its file's size (the tensor
// bytes plus zero blocks padding the last column panel of each matrix and
// the F32 norms), where dequantized floats took ~7 times as much. With
// BEAMSCOPE_GGUF_DEQUANTIZE=1 (every matrix dequantized at load, as before)
// the same file must hold far more, and give the same log-probs bit for bit.
TEST_F(GgufCli, AQ4KMModelHoldsAboutItsFileSize) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  const fs::path path = ref_.root / "llama_q4_k_m.gguf";
  ASSERT_TRUE(fs::exists(path));
  const double file_bytes = static_cast<double>(fs::file_size(path));
  const json info = json::parse(run_cli({"info", "--model", path.string()}).out);
  const double held = info["weight_bytes"].get<double>();
  std::cout << "  llama_q4_k_m: file " << file_bytes << " bytes, weights held " << held << " bytes"
            << std::endl;
  EXPECT_LE(held, 1.15 * file_bytes);
  EXPECT_GE(held, 0.5 * file_bytes);

  const std::vector<std::string> next = {"next",      "--model", path.string(), "--prompt-ids",
                                         "1,5,9,200", "--top",   "50"};
  const CliResult kept = run_cli(next);
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  ::setenv("BEAMSCOPE_GGUF_DEQUANTIZE", "1", 1);
  const CliResult floats = run_cli(next);
  const json float_info = json::parse(run_cli({"info", "--model", path.string()}).out);
  ::unsetenv("BEAMSCOPE_GGUF_DEQUANTIZE");
  ASSERT_EQ(floats.exit_code, 0) << floats.err;
  EXPECT_GE(float_info["weight_bytes"].get<double>(), 4 * held);
  EXPECT_EQ(json::parse(kept.out)["top"], json::parse(floats.out)["top"]);
}

// The two arithmetic paths for quantized weights: by default activations
// rounded to 8-bit blocks (llama.cpp's numbers, checked against llama.cpp in
// llama_cpp_oracle_test.cpp), with `--float-activations` or
// BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS=1 float arithmetic on the dequantized
// weights (the fidelity tests above): the flag and the variable give the same
// bytes, and the default differs from them.
TEST_F(GgufCli, FloatActivationsFlagIsTheEnvironmentSwitch) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  const fs::path path = ref_.root / "llama_q4_k_m.gguf";
  ASSERT_TRUE(fs::exists(path));
  std::vector<std::string> next = {"next",      "--model", path.string(), "--prompt-ids",
                                   "1,5,9,200", "--top",   "50"};
  const CliResult by_variable = run_cli(next);  // the fixture sets it
  ::unsetenv("BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS");
  const CliResult by_default = run_cli(next);
  next.push_back("--float-activations");
  const CliResult by_flag = run_cli(next);
  ::setenv("BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS", "1", 1);
  ASSERT_EQ(by_variable.exit_code, 0) << by_variable.err;
  ASSERT_EQ(by_default.exit_code, 0) << by_default.err;
  ASSERT_EQ(by_flag.exit_code, 0) << by_flag.err;
  EXPECT_EQ(by_flag.out, by_variable.out);
  EXPECT_NE(by_default.out, by_variable.out);
}

// Llama 3.1+ in GGUF: rope_freqs.weight (per-pair divisors written as
// llama.cpp's converter writes them) must give the inv_freq that a Hugging
// Face folder's rope_scaling llama3 gives; the log-probs of the same case are
// checked against the float64 reference above.
TEST_F(GgufCli, RopeFreqsGiveTheInvFreqOfRopeScalingLlama3) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  int checked = 0;
  for (const auto& c : ref_.cases) {
    if (!c.contains("rope_scaling")) continue;
    SCOPED_TRACE(c["name"].get<std::string>());
    const GgufFile gguf(file(c, ".gguf"));
    const TransformerConfig config = gguf_transformer_config(gguf);
    ASSERT_FALSE(config.ropes[0].freq_factors.empty());
    const json& s = c["rope_scaling"];
    RopeSpec hf;
    hf.theta = s["rope_theta"].get<float>();
    hf.scaling = RopeSpec::Scaling::kLlama3;
    hf.factor = s["factor"].get<float>();
    hf.low_freq_factor = s["low_freq_factor"].get<float>();
    hf.high_freq_factor = s["high_freq_factor"].get<float>();
    hf.original_max_positions = s["original_max_position_embeddings"].get<int>();
    const auto from_file = ops::rope_inv_freq(config.ropes[0], config.rotary_dims);
    const auto from_config = ops::rope_inv_freq(hf, config.rotary_dims);
    ASSERT_EQ(from_file.size(), from_config.size());
    int scaled = 0;
    for (std::size_t i = 0; i < from_file.size(); ++i) {
      EXPECT_NEAR(from_file[i] / from_config[i], 1.0, 1e-6) << "pair " << i;
      if (config.ropes[0].freq_factors[i] != 1.0f) ++scaled;
    }
    EXPECT_GE(scaled, 2);  // the case reaches the blended and the slowed bands
    ++checked;
  }
  EXPECT_EQ(checked, 1);
}

TEST_F(GgufCli, GreedyDecodeFollowsTheReferenceArgmax) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  // One step from each prompt: decode's first token is the reference's argmax.
  for (const auto& c : ref_.cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const json expected = read_json(file(c, ".expected.json"));
    const json& prompt = expected["prompts"][1];
    const auto& lp = prompt["logprobs"];
    int best = 0;
    for (int i = 1; i < static_cast<int>(lp.size()); ++i)
      if (lp[i].get<double>() > lp[best].get<double>()) best = i;
    const CliResult r =
        run_cli({"decode", "--model", file(c, ".gguf").string(), "--prompt-ids",
                 join_ids(prompt["ids"]), "--strategy", "greedy", "--max-new-tokens", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json tree = json::parse(r.out);
    ASSERT_EQ(tree["sequences"].size(), 1u);
    EXPECT_EQ(tree["sequences"][0]["token_ids"], json::array({best}));
  }
}

TEST_F(GgufCli, EmbeddedTokenizersMatchIndependentOnes) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  const std::vector<std::string> texts = {"ba ca",    " ab  abc ba", "Hello, wörld! ☃\n\tdc ee",
                                          "cd dc ee", "  ",          "a"};
  int checked = 0;
  for (const auto& c : ref_.cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const bool llama = c["tokenizer"] == "llama";
    const fs::path other = llama ? file(c, ".tokenizer.bin") : file(c, ".tokenizer");
    for (const std::string& text : texts) {
      const CliResult a =
          run_cli({"tokenize", "--model", file(c, ".gguf").string(), "--text", text});
      const CliResult b = run_cli({"tokenize", "--tokenizer", other.string(), "--text", text});
      ASSERT_EQ(a.exit_code, 0) << a.err;
      ASSERT_EQ(b.exit_code, 0) << b.err;
      EXPECT_EQ(json::parse(a.out)["ids"], json::parse(b.out)["ids"]) << text;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

// A tensor of a type Beamscope does not decode: one sentence naming the
// tensor and the type (the file is otherwise valid: IQ2_XXS blocks of 256
// values take fewer bytes than the Q6_K ones they replace).
TEST_F(GgufCli, AnUndecodableTensorTypeIsNamed) {
  if (!ref_.missing.empty()) BEAMSCOPE_REFERENCE_MISSING(ref_.missing);
  const json c = {{"name", "llama_q4_k_m"}};
  std::ifstream in(file(c, ".gguf"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The tensor info: name, u32 n_dims (2), two u64 dims, then the u32 type.
  // (Found with its u64 length in front, so blk.N.attn_output.weight does not match.)
  const std::string name = "output.weight";
  std::string key(8, '\0');
  key[0] = static_cast<char>(name.size());
  key += name;
  const std::size_t at = bytes.find(key);
  ASSERT_NE(at, std::string::npos);
  const std::size_t type_at = at + key.size() + 4 + 16;
  ASSERT_EQ(bytes[type_at], 14);  // Q6_K
  bytes[type_at] = 16;            // IQ2_XXS
  const fs::path bad = ref_.root / "iq2.gguf";
  std::ofstream(bad, std::ios::binary) << bytes;
  const CliResult r = run_cli({"info", "--model", bad.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad.string() + " stores tensor 'output.weight' as IQ2_XXS, a type Beamscope "
                                      "cannot decode"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace beamscope::test
