// The bad-inputs catalogue, checked through the real beamscope-cli: broken
// model folders and hostile files. Every refusal must be a non-zero exit,
// nothing on stdout and ONE clear sentence on stderr that names what is
// wrong; every "works" case must produce the documented result. The folders
// are built here from a valid tiny GPT-2 (random weights, a 259-token
// byte-level vocabulary), so the test needs no downloaded or bundled model.
// Odd prompts and parameters: bad_parameters_cli_test.cpp.
#include "app/bad_inputs_cli_fixture.h"

namespace beamscope::test {
namespace {

TEST_F(BadInputsCli, TheGoodFolderWorks) {
  const CliResult r = next(good());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out["prompt_ids"], json({116, 256}));  // "t" + "he"
  EXPECT_FALSE(out["top"].empty());
}

// ---- model files ------------------------------------------------------------

TEST_F(BadInputsCli, TruncatedSafetensors) {
  const fs::path dir = variant("truncated", [](const fs::path& d) {
    const std::string bytes = slurp(d / "model.safetensors");
    spit(d / "model.safetensors", bytes.substr(0, bytes.size() - 100));
  });
  expect_refused(next(dir), {"model.safetensors"});
}

TEST_F(BadInputsCli, SafetensorsShorterThanItsLengthField) {
  const fs::path dir =
      variant("stub", [](const fs::path& d) { spit(d / "model.safetensors", "\x10\x00\x00"); });
  expect_refused(next(dir), {"model.safetensors"});
}

TEST_F(BadInputsCli, EmptySafetensors) {
  const fs::path dir =
      variant("empty-st", [](const fs::path& d) { spit(d / "model.safetensors", ""); });
  expect_refused(next(dir), {"model.safetensors"});
}

TEST_F(BadInputsCli, SafetensorsHeaderLengthBeyondTheFile) {
  const fs::path dir = variant("huge-header", [](const fs::path& d) {
    std::string bytes = slurp(d / "model.safetensors");
    for (int i = 0; i < 8; ++i) bytes[i] = '\xff';  // 2^64 - 1
    spit(d / "model.safetensors", bytes);
  });
  expect_refused(next(dir), {"model.safetensors"});
}

TEST_F(BadInputsCli, SafetensorsIsAFolder) {
  const fs::path dir = variant("st-folder", [](const fs::path& d) {
    fs::remove(d / "model.safetensors");
    fs::create_directory(d / "model.safetensors");
  });
  expect_refused(next(dir), {"model.safetensors"});
}

TEST_F(BadInputsCli, MissingSafetensors) {
  const fs::path dir =
      variant("no-st", [](const fs::path& d) { fs::remove(d / "model.safetensors"); });
  expect_refused(next(dir), {"model.safetensors"});
}

TEST_F(BadInputsCli, MissingConfig) {
  const fs::path dir =
      variant("no-config", [](const fs::path& d) { fs::remove(d / "config.json"); });
  expect_refused(next(dir), {"config.json"});
}

TEST_F(BadInputsCli, ConfigNotJson) {
  const fs::path dir = variant(
      "config-garbage", [](const fs::path& d) { spit(d / "config.json", "{\"n_embd\": 8,"); });
  expect_refused(next(dir), {"config.json"});
}

TEST_F(BadInputsCli, ConfigDeeplyNested) {
  // 100k nested arrays as a value: parsing is iterative, but printing the
  // value in an error message would recurse once per level.
  const fs::path dir = variant("config-deep", [](const fs::path& d) {
    json c = config_json(tiny_config());
    std::string text = c.dump();
    text.pop_back();
    text += ",\"n_inner\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    spit(d / "config.json", text);
  });
  expect_refused(next(dir), {"config.json", "n_inner"});
}

TEST_F(BadInputsCli, ConfigWithStringSizes) {
  const fs::path dir = variant("config-strings", [](const fs::path& d) {
    json c = config_json(tiny_config());
    c["n_layer"] = "1";
    spit(d / "config.json", c.dump());
  });
  expect_refused(next(dir), {"config.json", "n_layer"});
}

TEST_F(BadInputsCli, MissingVocab) {
  const fs::path dir = variant("no-vocab", [](const fs::path& d) { fs::remove(d / "vocab.json"); });
  expect_refused(next(dir), {"vocab.json"});
}

TEST_F(BadInputsCli, MissingMerges) {
  const fs::path dir =
      variant("no-merges", [](const fs::path& d) { fs::remove(d / "merges.txt"); });
  expect_refused(next(dir), {"merges.txt"});
}

TEST_F(BadInputsCli, TruncatedVocab) {
  const fs::path dir = variant("vocab-cut", [](const fs::path& d) {
    const std::string bytes = slurp(d / "vocab.json");
    spit(d / "vocab.json", bytes.substr(0, bytes.size() / 2));
  });
  expect_refused(next(dir), {"vocab.json"});
}

TEST_F(BadInputsCli, WrongDtype) {
  const fs::path dir = variant("i32", [](const fs::path& d) {
    auto tensors = tiny_tensors(tiny_config());
    for (auto& t : tensors) {
      if (t.name == "transformer.h.0.ln_1.weight") t.dtype = "I32";  // same byte size as F32
    }
    spit(d / "model.safetensors", safetensors_bytes(tensors));
  });
  expect_refused(next(dir), {"h.0.ln_1.weight", "I32"});
}

TEST_F(BadInputsCli, ShapesContradictConfig) {
  const fs::path dir = variant("shapes", [](const fs::path& d) {
    Gpt2Config wider = tiny_config();
    wider.n_embd = 16;  // the tensors stay 8 wide
    spit(d / "config.json", config_json(wider).dump());
  });
  expect_refused(next(dir), {"shape"});
}

TEST_F(BadInputsCli, MissingTensor) {
  const fs::path dir = variant("missing-tensor", [](const fs::path& d) {
    auto tensors = tiny_tensors(tiny_config());
    std::erase_if(tensors,
                  [](const TensorToWrite& t) { return t.name == "transformer.ln_f.bias"; });
    spit(d / "model.safetensors", safetensors_bytes(tensors));
  });
  expect_refused(next(dir), {"ln_f.bias"});
}

TEST_F(BadInputsCli, NanWeights) {
  // A valid file whose numbers are NaN: the loader cannot tell, the first
  // forward pass can (every logit NaN), and the run stops with a sentence.
  const fs::path dir = variant("nan-weights", [](const fs::path& d) {
    auto tensors = tiny_tensors(tiny_config());
    for (auto& t : tensors) {
      if (t.name != "transformer.ln_f.bias") continue;
      const float nan = std::nanf("");
      for (std::size_t i = 0; i < t.data.size(); i += sizeof(float)) {
        std::memcpy(&t.data[i], &nan, sizeof(float));
      }
    }
    spit(d / "model.safetensors", safetensors_bytes(tensors));
  });
  expect_refused(next(dir), {"non-finite"});
  expect_refused(run_cli({"decode", "--model", dir.string(), "--prompt", "the", "--max-new-tokens",
                          "4", "--out", (root_ / "x.json").string()}),
                 {"non-finite"});
}

TEST_F(BadInputsCli, TokenizerLargerThanModelVocabulary) {
  const fs::path dir = variant("small-model-vocab", [](const fs::path& d) {
    const Gpt2Config smaller = tiny_config(200);
    spit(d / "config.json", config_json(smaller).dump());
    spit(d / "model.safetensors", safetensors_bytes(tiny_tensors(smaller)));
  });
  // eos 258 is also outside a 200-token vocabulary; either sentence names 200.
  expect_refused(next(dir), {"200"});
}

TEST_F(BadInputsCli, ModelVocabularyLargerThanTokenizerWorks) {
  // GPT-2 style padded vocabularies: ids the tokenizer lacks still show.
  const fs::path dir = variant("padded-vocab", [](const fs::path& d) {
    const Gpt2Config padded = tiny_config(400);
    spit(d / "config.json", config_json(padded).dump());
    spit(d / "model.safetensors", safetensors_bytes(tiny_tensors(padded)));
  });
  const CliResult r = next(dir, {"--prompt", "the", "--top", "400"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["top"].size(), 400u);
}

TEST_F(BadInputsCli, FolderThatIsNotAModel) {
  const fs::path empty = root_ / "empty";
  fs::create_directories(empty);
  expect_refused(next(empty), {"config.json"});
  const fs::path text_files = root_ / "text-files";
  fs::create_directories(text_files);
  spit(text_files / "README.md", "# not a model\n");
  expect_refused(next(text_files), {"config.json"});
}

TEST_F(BadInputsCli, ModelPathThatIsAFile) {
  expect_refused(next(good() / "config.json"), {"config.json"});
}

TEST_F(BadInputsCli, ModelPathThatDoesNotExist) {
  expect_refused(next(root_ / "no-such-folder"), {"no-such-folder"});
}

// ---- prompts ----------------------------------------------------------------

}  // namespace
}  // namespace beamscope::test
