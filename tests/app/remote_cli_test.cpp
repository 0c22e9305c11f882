// beamscope-cli on a server (tests/data/remote/completion_server.py on
// 127.0.0.1, a PyTorch forward of the bundled model): server-info reports
// the kind, the model and N; decode --model URL writes the same tree JSON as
// the local model plus each node's top-N record, and the key read from the
// environment is nowhere in it; info and next say what they do there, and score gives the local
// numbers.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/cli_test_util.h"
#include "common/local_http_server.h"
#include "common/require_reference.h"
#include "model/model_folder.h"

namespace beamscope::test {
namespace {

using nlohmann::json;

TEST(RemoteCli, ServerInfoDecodeInfoNextAndScore) {
  LocalHttpServer server(BEAMSCOPE_TEST_DATA_DIR "/remote/completion_server.py",
                         {"--model-dir", bundled_model_dir().string(), "--api-key", "cli-key-77"});
  if (!server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
  const std::string url = server.url("/v1");
  const std::string tokenizer = bundled_model_dir().string();
  setenv("BEAMSCOPE_TEST_KEY", "cli-key-77", 1);
  const std::vector<std::string> key = {"--api-key-env", "BEAMSCOPE_TEST_KEY"};
  const auto with_key = [&](std::vector<std::string> args) {
    args.insert(args.end(), key.begin(), key.end());
    return run_cli(args);
  };

  const CliResult info = with_key({"server-info", "--url", url});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const json i = json::parse(info.out);
  EXPECT_EQ(i["kind"], "openai-completions");
  EXPECT_EQ(i["model"], "beamscope-mini");
  EXPECT_EQ(i["top_n"], 20);

  const std::vector<std::string> decode = {
      "decode",      "--prompt", "Once upon a time", "--strategy", "beam",
      "--num-beams", "3",        "--max-new-tokens", "4"};
  std::vector<std::string> remote_args = decode;
  remote_args.insert(remote_args.end(), {"--model", url, "--tokenizer", tokenizer});
  const CliResult remote = with_key(remote_args);
  const CliResult local = run_cli(decode);
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  ASSERT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(remote.out.find("cli-key-77"), std::string::npos);
  const json r = json::parse(remote.out);
  const json l = json::parse(local.out);
  ASSERT_EQ(r["sequences"].size(), l["sequences"].size());
  for (std::size_t s = 0; s < l["sequences"].size(); ++s)
    EXPECT_EQ(r["sequences"][s]["token_ids"], l["sequences"][s]["token_ids"]);
  EXPECT_EQ(r["nodes"][0]["next"]["known"], 20);
  EXPECT_FALSE(l["nodes"][0]["next"].contains("known"));

  const CliResult no_key = run_cli({"server-info", "--url", url, "--api-key-env", "NO_SUCH_VAR"});
  EXPECT_NE(no_key.exit_code, 0);
  EXPECT_NE(no_key.err.find("needs a valid API key"), std::string::npos) << no_key.err;

  const CliResult model_info = with_key({"info", "--model", url, "--tokenizer", tokenizer});
  ASSERT_EQ(model_info.exit_code, 0) << model_info.err;
  EXPECT_EQ(json::parse(model_info.out)["top_logprobs"], 20);

  // Without --tokenizer this vLLM-style server's size of vocabulary comes
  // from its out-of-vocabulary refusals; info and stderr say so.
  const CliResult searched = with_key({"info", "--model", url});
  ASSERT_EQ(searched.exit_code, 0) << searched.err;
  const json si = json::parse(searched.out);
  EXPECT_EQ(si["vocab_size"], 4096);
  EXPECT_NE(si["tokenizer"].get<std::string>().find("out of vocabulary"), std::string::npos);
  EXPECT_NE(searched.err.find("the tokenizer comes from the server's /tokenize"), std::string::npos)
      << searched.err;

  const CliResult next = with_key(
      {"next", "--model", url, "--tokenizer", tokenizer, "--prompt", "Once upon", "--top", "30"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  const json n = json::parse(next.out);
  EXPECT_EQ(n["top"].size(), 20u);  // only what the server listed
  EXPECT_EQ(n["known"], 20);

  // score on the server (vLLM-style: echo with max_tokens 0) gives the local
  // numbers within float32's precision, plus how it asked.
  const std::string text_file = (std::filesystem::temp_directory_path() /
                                 ("beamscope-remote-score-" + std::to_string(::getpid())))
                                    .string();
  std::ofstream(text_file) << "Once upon a time, there was a little girl named Lily.";
  const CliResult score =
      with_key({"score", "--model", url, "--tokenizer", tokenizer, "--text-file", text_file});
  const CliResult local_score = run_cli({"score", "--text-file", text_file});
  std::filesystem::remove(text_file);
  ASSERT_EQ(score.exit_code, 0) << score.err;
  ASSERT_EQ(local_score.exit_code, 0) << local_score.err;
  const json rs = json::parse(score.out), ls = json::parse(local_score.out);
  EXPECT_EQ(rs["method"], "echo");
  EXPECT_EQ(rs["tokens"], ls["tokens"]);
  EXPECT_EQ(rs["bytes"], ls["bytes"]);
  EXPECT_NEAR(rs["total_logprob"].get<double>(), ls["total_logprob"].get<double>(),
              1e-4 * ls["tokens"].get<double>());
  EXPECT_FALSE(ls.contains("method"));
}

// The connection failures, one sentence each: https:// to a server
// that speaks plain HTTP (the TLS handshake fails) and a port nobody listens
// on; nothing is printed on stdout.
TEST(RemoteCli, TlsFailureAndUnreachableHostAreOneSentence) {
  std::string gone;  // the server's address once it has stopped: connection refused
  {
    LocalHttpServer server(BEAMSCOPE_TEST_DATA_DIR "/remote/completion_server.py",
                           {"--model-dir", bundled_model_dir().string()});
    if (!server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
    const std::string host = "https://127.0.0.1:" + std::to_string(server.port());
    const std::string https = host + "/v1";
    const CliResult tls = run_cli({"server-info", "--url", https});
    EXPECT_NE(tls.exit_code, 0);
    EXPECT_TRUE(tls.out.empty()) << tls.out;
    EXPECT_NE(tls.err.find("secure (TLS) connection to " + host), std::string::npos) << tls.err;
    EXPECT_EQ(std::count(tls.err.begin(), tls.err.end(), '\n'), 1) << tls.err;
    gone = server.url("/v1");
  }
  const CliResult refused =
      run_cli({"decode", "--model", gone, "--tokenizer", bundled_model_dir().string(), "--prompt",
               "Once", "--max-new-tokens", "2"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(refused.out.empty()) << refused.out;
  EXPECT_NE(refused.err.find("127.0.0.1"), std::string::npos) << refused.err;
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
}

TEST(RemoteCli, ARemoteTreeSavedWithOutReopensWithTheServerGone) {
  // The session file holds every node and its top-N record, so once saved a
  // remote tree is drawn (and inspected) without the server.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("beamscope-remote-offline-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // DOT: a build without the UI library (the sanitizer stage) renders it too.
  const std::string tree = (dir / "tree.json").string(), dot = (dir / "tree.dot").string();
  {
    LocalHttpServer server(BEAMSCOPE_TEST_DATA_DIR "/remote/completion_server.py",
                           {"--model-dir", bundled_model_dir().string()});
    if (!server.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the server");
    const CliResult saved =
        run_cli({"decode", "--model", server.url("/v1"), "--tokenizer",
                 bundled_model_dir().string(), "--prompt", "Once upon a time", "--strategy", "beam",
                 "--num-beams", "2", "--max-new-tokens", "3", "--out", tree});
    ASSERT_EQ(saved.exit_code, 0) << saved.err;
  }  // the server stops here
  const CliResult drawn = run_cli({"render", "--tree", tree, "--out", dot});
  ASSERT_EQ(drawn.exit_code, 0) << drawn.err;
  std::ifstream in(tree);
  const json t = json::parse(in);
  EXPECT_EQ(json::parse(drawn.out)["nodes"], t["nodes"].size());
  EXPECT_EQ(t["nodes"][0]["next"]["known"], 20);
  std::ifstream drawing(dot);
  const std::string text((std::istreambuf_iterator<char>(drawing)), {});
  EXPECT_NE(text.find("digraph"), std::string::npos);
  EXPECT_NE(text.find("tokens known"), std::string::npos) << "the top-N note is drawn too";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace beamscope::test
