#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.h"

namespace beamscope::net {

// Header lines as received or to send, in order. Names compare without case
// (HTTP says so); find_header does that.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;
const std::string* find_header(const HttpHeaders& headers, std::string_view name);

// The connection dropped or stalled after the answer began: trying again
// (with a Range for what already arrived) may well work, unlike an unknown
// host or a TLS failure.
class HttpConnectionBroken : public Error {
 public:
  using Error::Error;
};

struct HttpRequest {
  std::string url;
  std::string method = "GET";  // "GET", "HEAD" or "POST"
  HttpHeaders headers;         // sent to every host the request reaches
  // Sent only while the request stays on the origin (scheme, host, port) of
  // `url`: a redirect to a CDN or elsewhere drops them, so a token given for
  // one server never reaches another.
  HttpHeaders origin_only_headers;
  std::string body;  // POST body, sent as is (set Content-Type in headers)
  bool follow_redirects = true;
  int max_redirects = 10;
  // Non-zero: ask for the bytes from this offset on (Range: bytes=N-). The
  // answer's status says whether the server did (206) or sent it all (200).
  std::uint64_t range_start = 0;
  long connect_timeout_s = 20;
  // Give up when fewer than 1 byte/s arrive for this long (a stalled peer).
  long stall_timeout_s = 60;
  long total_timeout_s = 0;  // 0: no limit (large downloads)
};

// One answer on the way: the redirects and the final one.
struct HttpHop {
  std::string url;
  long status = 0;
  HttpHeaders headers;
};

struct HttpResponse {
  long status = 0;
  std::string final_url;
  HttpHeaders headers;        // of the final answer
  std::vector<HttpHop> hops;  // every answer in order, the final one last
  // The body of an answer that is not 2xx (at most 64 KiB), for the message.
  std::string error_body;
  std::uint64_t body_bytes = 0;  // bytes handed to the sink
};

// Called once with the final answer's status and headers, before its body.
using HttpHeadersFn = std::function<void(long status, const HttpHeaders& headers)>;
// Receives the body of a 2xx answer in pieces; throwing stops the transfer
// and the exception comes out of http_fetch.
using HttpBodySink = std::function<void(std::string_view chunk)>;
// Bytes received of the final body so far and its length (0 when unknown);
// returning false cancels (http_fetch throws beamscope::Cancelled).
using HttpProgressFn = std::function<bool(std::uint64_t received, std::uint64_t total)>;

struct HttpCallbacks {
  HttpHeadersFn on_headers;
  HttpBodySink on_body;
  HttpProgressFn on_progress;
};

// Runs one request. Any HTTP status comes back as a response (the caller
// knows what a 404 means to it); a failure to get an answer at all (host
// unknown, refused, TLS, timeout, connection cut) throws beamscope::Error
// with one sentence naming the URL. Each call has its own connection, so
// calls from several threads at once are safe.
HttpResponse http_fetch(const HttpRequest& request, const HttpCallbacks& callbacks = {});

// A whole body in memory, for small answers (JSON). Throws beamscope::Error
// for a status that is not 2xx, naming the URL, the status and the
// server's own message when it gave one; `max_bytes` bounds the body.
struct HttpText {
  HttpResponse response;
  std::string body;
};
HttpText http_get_text(const std::string& url, const HttpHeaders& headers = {},
                       std::size_t max_bytes = 64u << 20);
HttpText http_post_json(const std::string& url, const std::string& json_body,
                        const HttpHeaders& headers = {}, std::size_t max_bytes = 64u << 20);

// The sentence http_get_text throws for a non-2xx answer.
std::string http_status_sentence(const std::string& url, const HttpResponse& response);

}  // namespace beamscope::net
