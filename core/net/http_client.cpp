#include "net/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <memory>
#include <mutex>

#include "net/http_failure.h"
#include "net/url.h"
#include "util/error.h"

namespace beamscope::net {

namespace {

constexpr std::size_t kMaxErrorBody = 64 * 1024;

// curl_global_init is not thread-safe, and it must run before any handle is
// made: once per process, whichever thread asks first.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The state of one hop while curl runs it; its callbacks get a pointer to it.
struct Hop {
  CURL* curl = nullptr;
  const HttpCallbacks* callbacks = nullptr;
  bool following = false;  // a 3xx with Location will be followed: its body is not ours
  HttpHeaders headers;
  long status = 0;
  bool delivered = false;  // on_headers called
  bool final = false;      // this hop's body is the answer's body
  std::string error_body;
  std::uint64_t body_bytes = 0;
  std::exception_ptr error;

  // Decided once the headers are complete, i.e. when the first body byte
  // (or the end of the transfer) arrives.
  void deliver_headers() {
    if (delivered) return;
    delivered = true;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    final = !(following && is_redirect(status) && find_header(headers, "location"));
    if (final && callbacks->on_headers) callbacks->on_headers(status, headers);
  }
};

size_t on_header_line(char* data, size_t size, size_t count, void* user) {
  auto* hop = static_cast<Hop*>(user);
  const std::string_view line(data, size * count);
  // A status line starts a new block (after "100 Continue" or a proxy's
  // CONNECT answer): only the last block belongs to this answer.
  if (line.rfind("HTTP/", 0) == 0) {
    hop->headers.clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    hop->headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* hop = static_cast<Hop*>(user);
  const std::string_view chunk(data, size * count);
  try {
    hop->deliver_headers();
    if (!hop->final) return chunk.size();
    if (hop->status < 200 || hop->status > 299) {
      const std::size_t room = kMaxErrorBody - std::min(kMaxErrorBody, hop->error_body.size());
      hop->error_body.append(chunk.substr(0, room));
      return chunk.size();
    }
    if (hop->callbacks->on_body) hop->callbacks->on_body(chunk);
    hop->body_bytes += chunk.size();
    return chunk.size();
  } catch (...) {
    hop->error = std::current_exception();
    return 0;  // CURLE_WRITE_ERROR: stops the transfer
  }
}

int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
  auto* hop = static_cast<Hop*>(user);
  if (!hop->callbacks->on_progress) return 0;
  try {
    const bool body = hop->delivered && hop->final;
    const bool go_on = hop->callbacks->on_progress(body ? static_cast<std::uint64_t>(now) : 0,
                                                   body ? static_cast<std::uint64_t>(total) : 0);
    return go_on ? 0 : 1;
  } catch (...) {
    hop->error = std::current_exception();
    return 1;
  }
}

curl_slist* append(curl_slist* list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list, line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  return grown;
}

}  // namespace

const std::string* find_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return &value;
    }
  }
  return nullptr;
}

HttpResponse http_fetch(const HttpRequest& request, const HttpCallbacks& callbacks) {
  init_curl_once();
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) throw Error("Could not start an HTTP request to " + request.url + ".");
  const std::string origin = url_origin(request.url);
  if (origin.empty()) throw Error("'" + request.url + "' is not an http or https address.");

  HttpResponse response;
  std::string url = request.url;
  std::string method = request.method;
  // Redirects are followed here, not by curl, so that each hop's headers are
  // kept (the Hub puts X-Linked-Etag on its redirect) and headers meant for
  // one origin are dropped on the way elsewhere.
  for (int redirects = 0;; ++redirects) {
    curl_easy_reset(curl.get());  // keeps the connection cache
    CURL* c = curl.get();
    Hop hop;
    hop.curl = c;
    hop.callbacks = &callbacks;
    hop.following = request.follow_redirects;
    char error_text[CURL_ERROR_SIZE] = {0};

    std::unique_ptr<curl_slist, ListDeleter> list;
    auto add = [&](const std::string& line) { list.reset(append(list.release(), line)); };
    for (const auto& [k, v] : request.headers) add(k + ": " + v);
    if (url_origin(url) == origin) {
      for (const auto& [k, v] : request.origin_only_headers) add(k + ": " + v);
    }
    add("Expect:");  // no "100-continue" round trip before a POST body

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: thread-safe
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "beamscope/" BEAMSCOPE_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, request.connect_timeout_s);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, request.stall_timeout_s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, request.total_timeout_s);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header_line);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hop);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &hop);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &hop);
    if (request.range_start > 0) {
      const std::string range = std::to_string(request.range_start) + "-";
      curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());  // copied by curl
    }
    if (method == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (method == "POST") {
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    } else if (method != "GET") {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    }

    const CURLcode code = curl_easy_perform(c);
    if (hop.error) std::rethrow_exception(hop.error);
    if (code == CURLE_ABORTED_BY_CALLBACK) throw Cancelled();
    if (code != CURLE_OK) throw_transfer_failure(code, request.url, error_text, hop.body_bytes);
    hop.deliver_headers();  // a body-less answer (HEAD, 204, empty 3xx)

    response.hops.push_back({url, hop.status, hop.headers});
    if (!hop.final) {
      if (redirects >= request.max_redirects) {
        throw Error(request.url + " redirected more than " + std::to_string(request.max_redirects) +
                    " times.");
      }
      url = resolve_location(url, *find_header(hop.headers, "location"));
      // A 303, and a 301/302 after a POST, turn the request into a GET, as
      // browsers and curl do.
      if (hop.status == 303 || (method == "POST" && hop.status != 307 && hop.status != 308)) {
        method = "GET";
      }
      continue;
    }
    response.status = hop.status;
    response.final_url = url;
    response.headers = std::move(hop.headers);
    response.error_body = std::move(hop.error_body);
    response.body_bytes = hop.body_bytes;
    return response;
  }
}

namespace {
HttpText fetch_text(HttpRequest request, std::size_t max_bytes) {
  HttpText text;
  HttpCallbacks callbacks;
  callbacks.on_body = [&](std::string_view chunk) {
    if (text.body.size() + chunk.size() > max_bytes) {
      throw Error("The answer from " + request.url + " is larger than " +
                  std::to_string(max_bytes) + " bytes.");
    }
    text.body.append(chunk);
  };
  text.response = http_fetch(request, callbacks);
  if (text.response.status < 200 || text.response.status > 299) {
    throw Error(http_status_sentence(request.url, text.response));
  }
  return text;
}
}  // namespace

HttpText http_get_text(const std::string& url, const HttpHeaders& headers, std::size_t max_bytes) {
  HttpRequest request;
  request.url = url;
  request.headers = headers;
  return fetch_text(std::move(request), max_bytes);
}

HttpText http_post_json(const std::string& url, const std::string& json_body,
                        const HttpHeaders& headers, std::size_t max_bytes) {
  HttpRequest request;
  request.url = url;
  request.method = "POST";
  request.headers = headers;
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = json_body;
  return fetch_text(std::move(request), max_bytes);
}

}  // namespace beamscope::net
