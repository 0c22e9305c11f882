// Scoring a text on a server (remote_score.h) against the local engine's
// numbers: each way a server gives prompt log-probs (vLLM's echo with
// max_tokens 0 or 1, its prompt_logprobs) and the fallback of one request per
// prefix (llama.cpp's server, an OpenAI-compatible one that ignores echo)
// give the local total within float32's precision; a token outside the top N
// is named, never guessed; a text longer than the context is cut into the
// documented windows. Also where a tokenizer comes from for a server that
// does not report its vocabulary size (vLLM): the Hugging Face cache, else
// the server's out-of-vocabulary refusals, else one sentence.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/expect_error.h"
#include "common/local_http_server.h"
#include "common/require_reference.h"
#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "model/model_folder.h"
#include "model/text_score.h"
#include "remote/remote_loader.h"
#include "remote/remote_score.h"
#include "util/error.h"

namespace beamscope::remote {
namespace {

namespace fs = std::filesystem;
using beamscope::test::LocalHttpServer;

// Per scored token: the server's float64 forward vs the local float32 one.
constexpr double kTolPerToken = 1e-4;

const std::string kText =
    "Once upon a time, there was a little girl named Lily. She loved to play "
    "outside in the park with her friends.";

struct Server {
  explicit Server(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--model-dir", bundled_model_dir().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    server = std::make_unique<LocalHttpServer>(
        BEAMSCOPE_TEST_DATA_DIR "/remote/completion_server.py", args);
  }
  RemoteOptions options(int top_n = 20) const {
    RemoteOptions o;
    o.url = server->url("/v1");
    o.top_n = top_n;
    o.timeout_s = 30;
    return o;
  }
  std::unique_ptr<LocalHttpServer> server;
};

std::string error_of(const std::function<void()>& f) { return test::error_message_of(f); }

struct Way {
  std::vector<std::string> server_flags;
  int top_n;
  std::string method;
};

class ScoreOnServer : public ::testing::TestWithParam<Way> {};

TEST_P(ScoreOnServer, EqualsTheLocalScore) {
  Server s(GetParam().server_flags);
  if (!s.server->ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  LoadedModel local = load_model(bundled_model_dir());
  const std::int32_t eos = local.info.eos_ids.front();
  const TextScore expected = score_text(*local.model, *local.tokenizer, eos, kText);
  LoadedModel m = open_remote_model(s.options(GetParam().top_n), bundled_model_dir());
  const RemoteTextScore got =
      score_text_on_server(dynamic_cast<RemoteModel&>(*m.model), *m.tokenizer, eos, kText);
  EXPECT_EQ(got.method, GetParam().method);
  EXPECT_EQ(got.score.tokens, expected.tokens);
  EXPECT_EQ(got.score.bytes, expected.bytes);
  EXPECT_NEAR(got.score.total_logprob, expected.total_logprob,
              kTolPerToken * static_cast<double>(expected.tokens));
  EXPECT_NEAR(got.score.bits_per_byte, expected.bits_per_byte, 1e-4);
  const int detection = got.method == "echo" ? 1 : got.method == "echo+1" ? 2 : 3;
  const int scoring = got.method == "top-n" ? static_cast<int>(expected.tokens) : 1;
  EXPECT_EQ(got.requests, detection + scoring);
}

INSTANTIATE_TEST_SUITE_P(
    Ways, ScoreOnServer,
    ::testing::Values(
        Way{{}, 20, "echo"}, Way{{"--refuse-max-tokens-0"}, 20, "echo+1"},
        Way{{"--no-echo"}, 20, "prompt_logprobs"},
        // No prompt log-probs: a top N as large as the vocabulary
        // lists every token, so every prefix scores exactly.
        Way{{"--no-echo", "--no-prompt-logprobs", "--max-logprobs", "4096"}, 4096, "top-n"},
        Way{{"--kind", "llamacpp"}, 4096, "top-n"}));

// With N = 5 some token of the text is outside the server's top 5 after its
// prefix: the error names the first such token, checked here on the local
// engine (every earlier token is within its top 5, this one is not).
TEST(ScoreOnServerFallback, ATokenOutsideTheTopNIsNamedNotGuessed) {
  Server s({"--kind", "llamacpp"});
  if (!s.server->ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  LoadedModel local = load_model(bundled_model_dir());
  const std::int32_t eos = local.info.eos_ids.front();
  LoadedModel m = open_remote_model(s.options(5), bundled_model_dir());
  const std::string e = error_of([&] {
    score_text_on_server(dynamic_cast<RemoteModel&>(*m.model), *m.tokenizer, eos, kText);
  });
  std::vector<std::int32_t> S = {eos};
  const auto ids = local.tokenizer->encode(kText, false);
  S.insert(S.end(), ids.begin(), ids.end());
  std::size_t first_outside = 0;
  std::vector<float> logits(static_cast<std::size_t>(local.info.vocab_size));
  for (std::size_t j = 1; j < S.size() && first_outside == 0; ++j) {
    auto cache = local.model->new_cache();
    local.model->prefill(*cache, std::span(S).first(j), logits);
    const float mine = logits[static_cast<std::size_t>(S[j])];
    const auto above =
        std::count_if(logits.begin(), logits.end(), [&](float x) { return x > mine; });
    if (above >= 5) first_outside = j;
  }
  ASSERT_GT(first_outside, 0u) << "the text should have a token outside the top 5";
  const std::string named = "token " + std::to_string(first_outside) + " of the text (id " +
                            std::to_string(S[first_outside]) + ",";
  EXPECT_NE(e.find(named), std::string::npos) << e << "\nexpected: " << named;
  EXPECT_NE(e.find("is unknown"), std::string::npos) << e;
  EXPECT_NE(e.find("lists only its top 5"), std::string::npos) << e;
}

// A text longer than the context (256): echo with max_tokens 0 reads windows
// of 256 tokens, each after the first starting at the last token the one
// before it read. Expected: the local engine on exactly those windows.
TEST(ScoreOnServerWindows, ALongTextIsScoredInTheDocumentedWindows) {
  Server s({});
  if (!s.server->ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  LoadedModel local = load_model(bundled_model_dir());
  const std::int32_t eos = local.info.eos_ids.front();
  std::string text;
  while (local.tokenizer->encode(text, false).size() < 600) text += kText + " ";
  std::vector<std::int32_t> S = {eos};
  const auto ids = local.tokenizer->encode(text, false);
  S.insert(S.end(), ids.begin(), ids.end());
  double expected = 0;
  int windows = 0;
  for (std::size_t at = 0; at + 1 < S.size(); ++windows) {
    const std::size_t len = std::min<std::size_t>(256, S.size() - at);
    expected += sum_next_token_logprobs(*local.model, S[at], std::span(S).subspan(at + 1, len - 1));
    at += len - 1;
  }
  ASSERT_GE(windows, 3);
  LoadedModel m = open_remote_model(s.options(), bundled_model_dir());
  const RemoteTextScore got =
      score_text_on_server(dynamic_cast<RemoteModel&>(*m.model), *m.tokenizer, eos, text);
  EXPECT_EQ(got.window, 256);
  EXPECT_EQ(got.requests, 1 + windows);
  EXPECT_NEAR(got.score.total_logprob, expected, kTolPerToken * static_cast<double>(ids.size()));
}

// A temporary Hugging Face cache ($HF_HUB_CACHE), restored afterwards.
class HubCache {
 public:
  HubCache() : root_(fs::temp_directory_path() / ("beamscope-hf-" + std::to_string(::getpid()))) {
    fs::create_directories(root_);
    if (const char* old = std::getenv("HF_HUB_CACHE")) old_ = old;
    setenv("HF_HUB_CACHE", root_.c_str(), 1);
  }
  ~HubCache() {
    if (old_) {
      setenv("HF_HUB_CACHE", old_->c_str(), 1);
    } else {
      unsetenv("HF_HUB_CACHE");
    }
    fs::remove_all(root_);
  }
  // models--ORG--NAME/snapshots/<commit> with the bundled model's tokenizer
  // files, refs/main naming it, as huggingface_hub lays a download out.
  fs::path add_repo(const std::string& org, const std::string& name) {
    const fs::path repo = root_ / ("models--" + org + "--" + name);
    const fs::path snapshot = repo / "snapshots" / "0123abcd";
    fs::create_directories(snapshot);
    fs::create_directories(repo / "refs");
    std::ofstream(repo / "refs" / "main") << "0123abcd";
    for (const char* f : {"vocab.json", "merges.txt", "tokenizer_config.json", "config.json",
                          "generation_config.json"}) {
      fs::copy_file(bundled_model_dir() / f, snapshot / f);
    }
    return snapshot;
  }

 private:
  fs::path root_;
  std::optional<std::string> old_;
};

TEST(ServerVocabulary, TheServedRepositorysTokenizerComesFromTheHubCache) {
  HubCache cache;
  const fs::path snapshot = cache.add_repo("test-org", "beamscope-mini");
  Server s({"--model-name", "test-org/beamscope-mini"});
  if (!s.server->ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  LoadedModel m = open_remote_model(s.options(), "");
  LoadedModel local = load_model(bundled_model_dir());
  const auto& remote = dynamic_cast<RemoteModel&>(*m.model);
  EXPECT_NE(remote.tokenizer_source().find("Hugging Face cache, " + snapshot.string()),
            std::string::npos)
      << remote.tokenizer_source();
  EXPECT_EQ(m.info.vocab_size, 4096);
  EXPECT_EQ(m.info.eos_ids, local.info.eos_ids);  // the snapshot's config files
  EXPECT_EQ(remote.requests_sent(), 0);           // the probe's step is not counted
}

TEST(ServerVocabulary, ItsSizeComesFromTheServersOutOfVocabularyRefusals) {
  HubCache empty;
  Server s({"--tokenizer-info"});
  if (!s.server->ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  LoadedModel m = open_remote_model(s.options(), "");
  LoadedModel local = load_model(bundled_model_dir());
  EXPECT_EQ(m.info.vocab_size, 4096);
  EXPECT_EQ(m.tokenizer->vocab_size(), 4096);
  EXPECT_EQ(m.info.eos_ids, local.info.eos_ids);  // /tokenizer_info's eos_token
  const auto& remote = dynamic_cast<RemoteModel&>(*m.model);
  EXPECT_NE(remote.tokenizer_source().find("vocabulary of 4096 ids"), std::string::npos)
      << remote.tokenizer_source();
  const auto prompt = m.tokenizer->encode("Once upon a time");
  EXPECT_EQ(prompt, local.tokenizer->encode("Once upon a time"));
  DecodeParams greedy;
  greedy.max_new_tokens = 6;
  LogitsCache a, b;
  const TokenTree here =
      Decoder(*local.model, *local.tokenizer, local.info.eos_ids, a).run(prompt, greedy).tree;
  const TokenTree there =
      Decoder(*m.model, *m.tokenizer, m.info.eos_ids, b).run(prompt, greedy).tree;
  ASSERT_EQ(here.sequences.size(), there.sequences.size());
  EXPECT_EQ(here.sequences[0].token_ids, there.sequences[0].token_ids);
}

TEST(ServerVocabulary, NothingThatGivesItIsOneSentenceSayingWhatToPass) {
  HubCache empty;
  Server s({"--model-name", "test-org/beamscope-mini", "--no-vocab-check"});
  if (!s.server->ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  const std::string e = error_of([&] { open_remote_model(s.options(), ""); });
  EXPECT_NE(e.find("does not report its vocabulary size"), std::string::npos) << e;
  EXPECT_NE(e.find("give --tokenizer DIR"), std::string::npos) << e;
  EXPECT_NE(e.find("beamscope-cli download test-org/beamscope-mini"), std::string::npos) << e;
}

}  // namespace
}  // namespace beamscope::remote
