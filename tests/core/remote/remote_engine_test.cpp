// The remote engine against a real server started here on 127.0.0.1
// (tests/data/remote/completion_server.py: vLLM- or llama.cpp-style answers
// from a PyTorch forward of the bundled model in float64): the remote tree
// equals the local engine's for greedy and beam search; sampling equals the
// local tree with top_k = N (the documented top-N rule); and every failure
// is one sentence.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>
#include <sstream>

#include "common/expect_error.h"
#include "common/local_http_server.h"
#include "common/require_reference.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "io/session.h"
#include "model/model_folder.h"
#include "remote/remote_loader.h"
#include "remote_trees.h"
#include "util/error.h"

namespace beamscope::remote {
namespace {

using beamscope::test::LocalHttpServer;

constexpr double kTol = 1e-4;  // server float64 vs local float32, as JSON numbers

std::vector<std::string> server_args(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--model-dir", bundled_model_dir().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

struct Remote {
  explicit Remote(std::vector<std::string> extra = {})
      : server(BEAMSCOPE_TEST_DATA_DIR "/remote/completion_server.py", server_args(extra)) {}
  RemoteOptions options(int top_n = 20) const {
    RemoteOptions o;
    o.url = server.url("/v1");
    o.top_n = top_n;
    o.timeout_s = 20;
    return o;
  }
  LocalHttpServer server;
};

DecodeParams beam(int beams) { return remote_beam(beams); }

TokenTree run(LoadedModel& m, const std::vector<std::int32_t>& prompt, const DecodeParams& p) {
  return decode_tree(m, prompt, p);
}

void expect_same_tree(const TokenTree& local, const TokenTree& remote) {
  remote::expect_same_tree(local, remote, kTol);
}

class RemoteEngine : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!remote_.server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
    local_ = load_model(bundled_model_dir());
    prompt_ = local_.tokenizer->encode("Once upon a time, the");
  }
  Remote remote_{{"--kind", GetParam()}};
  LoadedModel local_;
  std::vector<std::int32_t> prompt_;
};

TEST_P(RemoteEngine, GreedyAndBeamSearchEqualTheLocalEngine) {
  LoadedModel m = open_remote_model(remote_.options(), bundled_model_dir());
  EXPECT_EQ(m.model->info().top_logprobs, 20);
  EXPECT_EQ(m.info.eos_ids, local_.info.eos_ids);
  DecodeParams greedy;
  greedy.max_new_tokens = 8;
  expect_same_tree(run(local_, prompt_, greedy), run(m, prompt_, greedy));
  expect_same_tree(run(local_, prompt_, beam(4)), run(m, prompt_, beam(4)));
}

TEST_P(RemoteEngine, SamplingEqualsLocalSamplingWithTopKN) {
  LoadedModel m = open_remote_model(remote_.options(), bundled_model_dir());
  DecodeParams p;
  p.strategy = StrategyKind::Sample;
  p.num_samples = 12;
  p.seed = 3;
  p.max_new_tokens = 5;
  p.temperature = 0.8;
  p.top_p = 0.9;
  const TokenTree remote = run(m, prompt_, p);
  p.top_k = 20;
  const TokenTree local = run(local_, prompt_, p);
  ASSERT_EQ(local.sequences.size(), remote.sequences.size());
  for (std::size_t i = 0; i < local.sequences.size(); ++i) {
    EXPECT_EQ(local.sequences[i].token_ids, remote.sequences[i].token_ids) << i;
    EXPECT_NEAR(local.sequences[i].score, remote.sequences[i].score, kTol) << i;
  }
  EXPECT_EQ(remote.node(0).next.known, 20);
}

TEST_P(RemoteEngine, ParameterChangesReplayFromTheCache) {
  LoadedModel m = open_remote_model(remote_.options(), bundled_model_dir());
  auto& remote = dynamic_cast<RemoteModel&>(*m.model);
  LogitsCache cache;
  Decoder decoder(*m.model, *m.tokenizer, m.info.eos_ids, cache);
  DecodeParams p = beam(3);
  decoder.run(prompt_, p);
  const int asked = remote.requests_sent();
  EXPECT_GT(asked, 0);
  // Another length penalty and fewer answers: the same prefixes, no request.
  p.length_penalty = 2.0;
  p.num_return_sequences = 1;
  decoder.run(prompt_, p);
  EXPECT_EQ(remote.requests_sent(), asked);
}

// The GUI's "step 3: 5 of 8 requests answered" comes from these reports:
// each step's batch first says (0, asked), then one report per answer, in
// order, and the asked counts add up to the requests sent.
TEST_P(RemoteEngine, ProgressReportsEachStepsRequests) {
  LoadedModel m = open_remote_model(remote_.options(), bundled_model_dir());
  auto& remote = dynamic_cast<RemoteModel&>(*m.model);
  std::mutex mutex;
  std::vector<std::pair<int, int>> reports;
  remote.set_progress([&](int done, int total) {
    std::lock_guard<std::mutex> lock(mutex);
    reports.emplace_back(done, total);
  });
  run(m, prompt_, beam(4));
  ASSERT_FALSE(reports.empty());
  int asked = 0;
  int steps_of_four = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const auto [done, total] = reports[i];
    if (done == 0) {
      ASSERT_TRUE(i == 0 || reports[i - 1].first == reports[i - 1].second) << i;
      asked += total;
      steps_of_four += total == 4;
    } else {
      ASSERT_EQ(reports[i - 1], std::make_pair(done - 1, total)) << i;
    }
  }
  EXPECT_EQ(reports.back().first, reports.back().second);
  EXPECT_EQ(asked, remote.requests_sent());
  EXPECT_GT(steps_of_four, 0);  // the beams of a step went out together
}

INSTANTIATE_TEST_SUITE_P(Kinds, RemoteEngine, ::testing::Values("openai", "llamacpp"));

std::string error_of(const std::function<void()>& f) { return test::error_message_of(f); }

TEST(RemoteServer, TheServersTokenizerStandsInForALocalOne) {
  Remote r({"--kind", "llamacpp"});
  if (!r.server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  LoadedModel m = open_remote_model(r.options(), "");
  LoadedModel local = load_model(bundled_model_dir());
  EXPECT_EQ(m.info.eos_ids, local.info.eos_ids);  // from /props' eos_token
  const std::string text = "Once upon a time, the";
  const auto prompt = m.tokenizer->encode(text);
  EXPECT_EQ(prompt, local.tokenizer->encode(text));
  EXPECT_EQ(m.tokenizer->decode(prompt), text);
  EXPECT_EQ(m.tokenizer->token_bytes(prompt[1]), local.tokenizer->token_bytes(prompt[1]));
  expect_same_tree(run(local, prompt, beam(3)), run(m, prompt, beam(3)));
}

TEST(RemoteServer, ProbeReportsKindModelsAndN) {
  Remote r({"--kind", "llamacpp"});
  if (!r.server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  const ServerInfo info = probe_server(r.options());
  EXPECT_EQ(info.kind, ServerKind::LlamaCppNative);
  EXPECT_EQ(info.models, std::vector<std::string>{"beamscope-mini"});
  EXPECT_EQ(info.top_n, 20);
  EXPECT_EQ(info.context_length, 256);
  EXPECT_TRUE(info.has_tokenize);
}

TEST(RemoteServer, FailuresAreOneSentence) {
  Remote r({"--api-key", "sesame-1234", "--max-logprobs", "5"});
  if (!r.server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  RemoteOptions o = r.options(5);
  EXPECT_NE(error_of([&] { probe_server(o); }).find("needs a valid API key"), std::string::npos);
  o.api_key = "sesame-1234";
  o.model = "gpt-9";
  EXPECT_NE(error_of([&] { probe_server(o); }).find("has no model named \"gpt-9\""),
            std::string::npos);
  o.model.clear();
  o.top_n = 8;
  const std::string too_many = error_of([&] { probe_server(o); });
  EXPECT_NE(too_many.find("max allowed: 5"), std::string::npos) << too_many;
  o.top_n = 5;
  LoadedModel m = open_remote_model(o, bundled_model_dir());
  const auto prompt = m.tokenizer->encode("Once upon");
  EXPECT_NE(error_of([&] { run(m, prompt, beam(3)); }).find("needs the top 6"), std::string::npos);
  // The key never reaches a session file.
  Session s;
  s.model = m.info;
  s.prompt_ids = prompt;
  s.tree = run(m, prompt, beam(2));
  std::ostringstream text;
  text << session_to_json(s).dump();
  EXPECT_EQ(text.str().find("sesame"), std::string::npos);
  EXPECT_NE(text.str().find("\"known\":5"), std::string::npos);
}

TEST(RemoteServer, MalformedBusyDeadAndSlowServers) {
  {
    Remote r({"--malformed"});
    if (!r.server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
    EXPECT_NE(error_of([&] { probe_server(r.options()); }).find("cannot read: it is not JSON"),
              std::string::npos);
  }
  {
    // Every 2nd completion is a 429: retried, same tree as without.
    Remote r({"--busy-every", "2"});
    LoadedModel m = open_remote_model(r.options(), bundled_model_dir());
    LoadedModel local = load_model(bundled_model_dir());
    const auto prompt = m.tokenizer->encode("Once upon");
    expect_same_tree(run(local, prompt, beam(2)), run(m, prompt, beam(2)));
  }
  {
    // The server exits after its 4th completion (the probe took 1).
    Remote r({"--die-after", "4"});
    LoadedModel m = open_remote_model(r.options(), bundled_model_dir());
    const auto prompt = m.tokenizer->encode("Once upon");
    const std::string e = error_of([&] { run(m, prompt, beam(2)); });
    // The request in flight sees the connection drop; a later one, nothing there.
    EXPECT_TRUE(e.find("broke") != std::string::npos ||
                e.find("Could not reach") != std::string::npos)
        << e;
  }
  {
    Remote r({"--delay", "3"});
    RemoteOptions o = r.options();
    o.timeout_s = 1;
    const std::string e = error_of([&] { probe_server(o); });
    EXPECT_NE(e.find("in time"), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace beamscope::remote
