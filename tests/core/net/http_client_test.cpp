// The libcurl wrapper against a real HTTP server on 127.0.0.1
// (tests/data/net/http_test_server.py): redirects and their headers,
// headers kept to one origin, Range, a cut connection, statuses, POST,
// cancel, and the sentences for a host that is not there.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "common/expect_error.h"
#include "common/local_http_server.h"
#include "common/require_reference.h"
#include "net/http_client.h"
#include "net/url.h"

namespace beamscope::net {
namespace {

using beamscope::test::LocalHttpServer;

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!server_.ok()) BEAMSCOPE_REFERENCE_MISSING("python3 could not start the HTTP test server");
  }
  LocalHttpServer server_{BEAMSCOPE_TEST_DATA_DIR "/net/http_test_server.py"};
};

std::string payload(std::size_t from = 0) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>((i * 7 + 3) % 256);
  return bytes.substr(from);
}

TEST_F(HttpClientTest, GetsText) {
  const HttpText text = http_get_text(server_.url("/text"));
  EXPECT_EQ(text.body, "hello from the test server");
  EXPECT_EQ(text.response.status, 200);
  ASSERT_NE(find_header(text.response.headers, "CONTENT-type"), nullptr);
  EXPECT_EQ(*find_header(text.response.headers, "content-type"), "text/plain");
}

TEST_F(HttpClientTest, FollowsRelativeRedirectsAndKeepsEachHop) {
  const HttpText text = http_get_text(server_.url("/redirect/2"));
  ASSERT_EQ(text.response.hops.size(), 4u);
  EXPECT_EQ(text.response.hops[0].status, 302);
  EXPECT_EQ(*find_header(text.response.hops[0].headers, "x-hop"), "2");
  EXPECT_EQ(*find_header(text.response.hops[1].headers, "x-hop"), "1");
  EXPECT_EQ(text.response.hops[3].status, 200);
  EXPECT_EQ(text.response.final_url, server_.url("/echo"));
  EXPECT_EQ(nlohmann::json::parse(text.body)["path"], "/echo");
}

TEST_F(HttpClientTest, WithoutFollowingTheRedirectIsTheAnswer) {
  HttpRequest request;
  request.url = server_.url("/redirect/1");
  request.follow_redirects = false;
  const HttpResponse response = http_fetch(request);
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(*find_header(response.headers, "location"), "../redirect/0");
}

TEST_F(HttpClientTest, TooManyRedirectsIsOneSentence) {
  HttpRequest request;
  request.url = server_.url("/redirect/5");
  request.max_redirects = 2;
  EXPECT_ERROR_CONTAINS(http_fetch(request), "redirected more than 2 times");
}

TEST_F(HttpClientTest, OriginOnlyHeadersStayOnTheirOrigin) {
  HttpRequest request;
  request.url = server_.url("/echo");
  request.headers = {{"X-Everywhere", "yes"}};
  request.origin_only_headers = {{"Authorization", "Bearer secret"}};
  std::string body;
  HttpCallbacks callbacks;
  callbacks.on_body = [&](std::string_view chunk) { body.append(chunk); };
  http_fetch(request, callbacks);
  auto echoed = nlohmann::json::parse(body)["headers"];
  EXPECT_EQ(echoed["authorization"], "Bearer secret");
  EXPECT_EQ(echoed["x-everywhere"], "yes");

  // Redirected to "localhost": another origin, so the token stays behind.
  request.url = server_.url("/elsewhere");
  body.clear();
  const HttpResponse response = http_fetch(request, callbacks);
  EXPECT_EQ(response.final_url.rfind("http://localhost:", 0), 0u) << response.final_url;
  echoed = nlohmann::json::parse(body)["headers"];
  EXPECT_FALSE(echoed.contains("authorization")) << body;
  EXPECT_EQ(echoed["x-everywhere"], "yes");
}

TEST_F(HttpClientTest, RangeGivesTheRestAndHeadersComeFirst) {
  HttpRequest request;
  request.url = server_.url("/bytes");
  request.range_start = 600;
  long seen_status = 0;
  std::string body;
  HttpCallbacks callbacks;
  callbacks.on_headers = [&](long status, const HttpHeaders&) {
    EXPECT_TRUE(body.empty());
    seen_status = status;
  };
  callbacks.on_body = [&](std::string_view chunk) { body.append(chunk); };
  const HttpResponse response = http_fetch(request, callbacks);
  EXPECT_EQ(seen_status, 206);
  EXPECT_EQ(response.status, 206);
  EXPECT_EQ(body, payload(600));
  EXPECT_EQ(response.body_bytes, 400u);
}

TEST_F(HttpClientTest, HeadHasHeadersAndNoBody) {
  HttpRequest request;
  request.url = server_.url("/bytes");
  request.method = "HEAD";
  bool headers_seen = false;
  HttpCallbacks callbacks;
  callbacks.on_headers = [&](long, const HttpHeaders&) { headers_seen = true; };
  const HttpResponse response = http_fetch(request, callbacks);
  EXPECT_TRUE(headers_seen);
  EXPECT_EQ(*find_header(response.headers, "content-length"), "1000");
  EXPECT_EQ(response.body_bytes, 0u);
}

TEST_F(HttpClientTest, ACutConnectionSaysHowMuchArrived) {
  HttpRequest request;
  request.url = server_.url("/cut");
  std::string body;
  HttpCallbacks callbacks;
  callbacks.on_body = [&](std::string_view chunk) { body.append(chunk); };
  try {
    http_fetch(request, callbacks);
    FAIL() << "a cut connection was taken for a whole answer";
  } catch (const HttpConnectionBroken& e) {
    EXPECT_NE(std::string(e.what()).find("broke after 400 bytes"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(server_.url("/cut")), std::string::npos);
  }
  EXPECT_EQ(body, payload().substr(0, 400));
}

TEST_F(HttpClientTest, StatusesComeBackAndTextHelpersNameThem) {
  HttpRequest request;
  request.url = server_.url("/status/404");
  const HttpResponse response = http_fetch(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.error_body.find("made-up failure 404"), std::string::npos);
  EXPECT_ERROR_CONTAINS(http_get_text(server_.url("/status/503")),
                        "answered HTTP 503 (Service Unavailable): made-up failure 503.");
  EXPECT_ERROR_CONTAINS(http_get_text(server_.url("/hub-error")),
                        "answered HTTP 401 (Unauthorized): Access to this model is restricted.");
}

TEST_F(HttpClientTest, PostsJsonAndA303TurnsIntoGet) {
  const HttpText text = http_post_json(server_.url("/echo"), R"({"prompt":"héllo"})");
  const auto echoed = nlohmann::json::parse(text.body);
  EXPECT_EQ(echoed["method"], "POST");
  EXPECT_EQ(echoed["body"], R"({"prompt":"héllo"})");
  EXPECT_EQ(echoed["headers"]["content-type"], "application/json");
  const auto after = nlohmann::json::parse(http_post_json(server_.url("/see-other"), "{}").body);
  EXPECT_EQ(after["method"], "GET");
}

TEST_F(HttpClientTest, ProgressCanCancel) {
  HttpRequest request;
  request.url = server_.url("/slow");
  std::uint64_t last = 0;
  HttpCallbacks callbacks;
  callbacks.on_body = [](std::string_view) {};
  callbacks.on_progress = [&](std::uint64_t received, std::uint64_t total) {
    last = received;
    return !(received >= 1000 && total == 100000);
  };
  EXPECT_THROW(http_fetch(request, callbacks), Cancelled);
  EXPECT_GE(last, 1000u);
}

TEST_F(HttpClientTest, ASinkThatThrowsStopsTheTransfer) {
  HttpRequest request;
  request.url = server_.url("/slow");
  HttpCallbacks callbacks;
  callbacks.on_body = [](std::string_view) { throw Error("The disk is full."); };
  EXPECT_ERROR_CONTAINS(http_fetch(request, callbacks), "The disk is full.");
}

TEST(HttpClientFailures, NothingListeningIsOneSentence) {
  // Port 1 on 127.0.0.1: nothing listens there on a test machine.
  EXPECT_ERROR_CONTAINS(http_get_text("http://127.0.0.1:1/x"),
                        "Could not reach http://127.0.0.1:1/x: nothing answers there");
  EXPECT_ERROR_CONTAINS(http_get_text("ftp://127.0.0.1/x"), "is not an http or https address");
  EXPECT_ERROR_CONTAINS(http_get_text("http://no-such-host.invalid/x"),
                        "Could not reach http://no-such-host.invalid/x: the host name is unknown");
}

TEST(UrlTest, OriginsAndRedirectTargets) {
  EXPECT_EQ(url_origin("https://HF.co/a/b?c"), "https://hf.co:443");
  EXPECT_EQ(url_origin("http://127.0.0.1:8080/x"), "http://127.0.0.1:8080");
  EXPECT_EQ(url_origin("http://h/x"), url_origin("http://h:80/y"));
  EXPECT_EQ(url_origin("file:///etc/passwd"), "");
  EXPECT_EQ(resolve_location("http://h/a/b/c", "../d"), "http://h/a/d");
  EXPECT_EQ(resolve_location("http://h/a/b", "/x?y=1"), "http://h/x?y=1");
  EXPECT_EQ(resolve_location("http://h/a", "https://cdn/z"), "https://cdn/z");
  EXPECT_ERROR_CONTAINS(resolve_location("http://h/a", "file:///etc/passwd"),
                        "not an http or https address");
  EXPECT_EQ(url_encode_path("a b/c+d.gguf"), "a%20b/c%2Bd.gguf");
}

}  // namespace
}  // namespace beamscope::net
