#include "remote/server_call.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "net/http_client.h"
#include "util/error.h"

namespace beamscope::remote {

namespace {

constexpr std::size_t kMaxBody = 16u << 20;  // a step's answer is a few KiB

net::HttpResponse fetch_once(const RemoteOptions& options, const std::string& method,
                             const std::string& url, const std::string& json_body,
                             const std::atomic<bool>* cancel, std::string& body) {
  net::HttpRequest request;
  request.url = url;
  request.method = method;
  if (method == "POST") {
    request.headers = {{"Content-Type", "application/json"}};
    request.body = json_body;
  }
  request.headers.push_back({"Accept", "application/json"});
  if (!options.api_key.empty())
    request.origin_only_headers = {{"Authorization", "Bearer " + options.api_key}};
  request.connect_timeout_s = std::min<long>(options.timeout_s, 20);
  request.stall_timeout_s = options.timeout_s;
  request.total_timeout_s = options.timeout_s;
  net::HttpCallbacks callbacks;
  callbacks.on_body = [&](std::string_view chunk) {
    if (body.size() + chunk.size() > kMaxBody)
      throw Error("The server at " + url + " answered more than 16 MiB for one step.");
    body.append(chunk);
  };
  callbacks.on_progress = [cancel](std::uint64_t, std::uint64_t) {
    return !(cancel && cancel->load());
  };
  return net::http_fetch(request, callbacks);
}

// Seconds to wait before try `attempt` (0-based): Retry-After if given, else
// 0.25 s doubling, at most 8 s.
double pause_for(const net::HttpResponse& response, int attempt) {
  if (const std::string* after = net::find_header(response.headers, "retry-after")) {
    const double s = std::atof(after->c_str());
    if (s > 0) return std::min(s, 30.0);
  }
  return std::min(8.0, 0.25 * static_cast<double>(1 << std::min(attempt, 5)));
}

void sleep_unless_cancelled(double seconds, const std::atomic<bool>* cancel) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (cancel && cancel->load()) throw Cancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

ServerAnswer try_server(const RemoteOptions& options, const std::string& method,
                        const std::string& url, const std::string& json_body,
                        const std::atomic<bool>* cancel) {
  for (int attempt = 0;; ++attempt) {
    if (cancel && cancel->load()) throw Cancelled();
    std::string body;
    const net::HttpResponse response = fetch_once(options, method, url, json_body, cancel, body);
    const bool busy = response.status == 429 || response.status == 503;
    if (busy && attempt < options.max_retries) {
      sleep_unless_cancelled(pause_for(response, attempt), cancel);
      continue;
    }
    if (response.status == 401 || response.status == 403) {
      throw Error("The server at " + url + " refused the request (HTTP " +
                  std::to_string(response.status) +
                  "): it needs a valid API key (--api-key-env NAME, or type it in the dialog).");
    }
    if (busy) {
      throw Error("The server at " + url + " was still busy (HTTP " +
                  std::to_string(response.status) + ") after " +
                  std::to_string(options.max_retries) + " retries.");
    }
    if (response.status >= 200 && response.status < 300) return {response.status, body, response};
    return {response.status, response.error_body.empty() ? body : response.error_body, response};
  }
}

std::string call_server(const RemoteOptions& options, const std::string& method,
                        const std::string& url, const std::string& json_body,
                        const std::atomic<bool>* cancel) {
  ServerAnswer answer = try_server(options, method, url, json_body, cancel);
  if (answer.status >= 200 && answer.status < 300) return std::move(answer.body);
  throw Error(net::http_status_sentence(url, answer.response));
}

}  // namespace beamscope::remote
