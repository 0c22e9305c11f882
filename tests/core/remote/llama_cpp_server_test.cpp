// The remote engine against llama.cpp itself: tests/data/remote/
// llama_cpp_server.mjs answers llama.cpp's native /completion (n_probs) with
// every request evaluated by npm's node-llama-cpp (the prebuilt llama.cpp
// that tests/fetch-test-data.sh fetches), serving a random Llama-shaped F32
// GGUF that make_llama_cpp_cases.py writes. Beamscope opens the same file
// locally; the remote trees must equal the local ones — tokens, order,
// status, log-probs within 1e-4 (llama.cpp and we both compute in float32;
// measured ~4e-6) — for greedy and beam search, and the server's
// tokenizer must give the ids our reader of the file gives.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "common/local_http_server.h"
#include "common/require_reference.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "model/model_folder.h"
#include "remote/remote_loader.h"
#include "remote_trees.h"

namespace beamscope::remote {
namespace {

namespace fs = std::filesystem;
using beamscope::test::LocalHttpServer;

constexpr double kTol = 1e-4;

TokenTree run(LoadedModel& m, const std::vector<std::int32_t>& prompt, const DecodeParams& p) {
  return decode_tree(m, prompt, p);
}

class LlamaCppServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path llama = fs::path(BEAMSCOPE_FETCHED_DIR) / "node-llama-cpp";
    if (std::system("node --version >/dev/null 2>&1") != 0 ||
        !fs::is_regular_file(llama / "node_modules/node-llama-cpp/dist/index.js")) {
      missing_ = "node or node-llama-cpp (" + llama.string() +
                 ", fetched by tests/fetch-test-data.sh) is missing";
      return;
    }
    dir_ = fs::temp_directory_path() / ("beamscope-llama-server-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    const std::string make = std::string(BEAMSCOPE_PYTHON) +
                             " '" BEAMSCOPE_TEST_DATA_DIR "/model/gguf/make_llama_cpp_cases.py' '" +
                             dir_.string() + "' llama_f32 >/dev/null";
    if (std::system(make.c_str()) != 0) {
      missing_ = "make_llama_cpp_cases.py could not write the model (" + make + ")";
      return;
    }
    server_ = std::make_unique<LocalHttpServer>(
        BEAMSCOPE_TEST_DATA_DIR "/remote/llama_cpp_server.mjs",
        std::vector<std::string>{llama.string(), (dir_ / "llama_f32.gguf").string()},
        std::vector<std::string>{"node"});
    if (!server_->ok()) missing_ = "node could not start llama_cpp_server.mjs";
  }
  static void TearDownTestSuite() {
    server_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    if (!missing_.empty()) BEAMSCOPE_REFERENCE_MISSING(missing_);
  }
  static LoadedModel remote() {
    RemoteOptions o;
    o.url = server_->url();
    o.top_n = 20;
    o.timeout_s = 30;
    return open_remote_model(o, {});  // the server's own tokenizer
  }
  static LoadedModel local() { return load_model(dir_ / "llama_f32.gguf"); }

  static std::string missing_;
  static fs::path dir_;
  static std::unique_ptr<LocalHttpServer> server_;
};
std::string LlamaCppServer::missing_;
fs::path LlamaCppServer::dir_;
std::unique_ptr<LocalHttpServer> LlamaCppServer::server_;

const std::vector<std::int32_t> kPrompt = {1, 5, 9, 42};

TEST_F(LlamaCppServer, GreedyAndBeamSearchEqualTheLocalEngine) {
  LoadedModel m = remote();
  LoadedModel l = local();
  EXPECT_EQ(m.model->info().vocab_size, l.model->info().vocab_size);
  EXPECT_EQ(m.model->info().top_logprobs, 20);
  EXPECT_EQ(m.info.eos_ids, l.info.eos_ids);  // from the "eos_token" of /props
  DecodeParams greedy;
  greedy.max_new_tokens = 10;
  greedy.alternatives = 3;
  double largest = expect_same_tree(run(l, kPrompt, greedy), run(m, kPrompt, greedy), kTol);
  for (int beams : {3, 5}) {
    SCOPED_TRACE("beams " + std::to_string(beams));
    const DecodeParams beam = remote_beam(beams, 7);
    const TokenTree local_tree = run(l, kPrompt, beam);
    EXPECT_GT(local_tree.size(), 20);
    largest = std::max(largest, expect_same_tree(local_tree, run(m, kPrompt, beam), kTol));
  }
  std::cout << "largest |local - llama.cpp server| log-prob: " << largest << "\n";
}

TEST_F(LlamaCppServer, TheServersTokenizerMatchesOurReaderOfTheFile) {
  LoadedModel m = remote();
  LoadedModel l = local();
  for (const char* text : {"hello world", "The cat sat.", "a b  c"}) {
    EXPECT_EQ(m.tokenizer->encode(text, false), l.tokenizer->encode(text, false)) << text;
  }
}

}  // namespace
}  // namespace beamscope::remote
