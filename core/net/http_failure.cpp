#include "net/http_failure.h"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

#include "net/http_client.h"

namespace beamscope::net {

namespace {

// curl's own words, without a trailing period or newline, for inside parentheses.
std::string clean_detail(CURLcode code, const char* detail) {
  std::string text = (detail != nullptr && detail[0] != '\0') ? detail : curl_easy_strerror(code);
  while (!text.empty() && (text.back() == '\n' || text.back() == '.' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

const char* reason_phrase(long status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 416:
      return "Range Not Satisfiable";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

// The server's own explanation: the Hub's X-Error-Message header, a JSON
// {"error": "..."} or OpenAI-style {"error": {"message": "..."}}, or a short
// plain-text body; at most one line of 300 characters.
std::string server_message(const HttpResponse& response) {
  std::string message;
  if (const std::string* header = find_header(response.headers, "x-error-message")) {
    message = *header;
  } else {
    const auto json = nlohmann::json::parse(response.error_body, nullptr, false);
    if (json.is_object() && json.contains("error")) {
      const auto& error = json["error"];
      if (error.is_string()) message = error.get<std::string>();
      if (error.is_object() && error.contains("message") && error["message"].is_string()) {
        message = error["message"].get<std::string>();
      }
    } else if (json.is_discarded() && response.error_body.find('<') == std::string::npos) {
      message = response.error_body;  // plain text, not an HTML error page
    }
  }
  for (char& c : message) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (message.size() > 300) message = message.substr(0, 300) + "...";
  while (!message.empty() && (message.back() == ' ' || message.back() == '.')) message.pop_back();
  return message;
}

}  // namespace

void throw_transfer_failure(int curl_code, const std::string& url, const char* detail,
                            std::uint64_t bytes_received) {
  const auto code = static_cast<CURLcode>(curl_code);
  const std::string why = clean_detail(code, detail);
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
      throw Error("'" + url + "' is not an http or https address (" + why + ").");
    case CURLE_URL_MALFORMAT:
      throw Error("'" + url + "' is not a valid address (" + why + ").");
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      throw Error("Could not reach " + url + ": the host name is unknown (" + why + ").");
    case CURLE_COULDNT_CONNECT:
      throw Error("Could not reach " + url + ": nothing answers there (" + why + ").");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      throw Error("The secure (TLS) connection to " + url + " failed (" + why + ").");
    case CURLE_OPERATION_TIMEDOUT:
      if (bytes_received == 0) throw Error(url + " did not answer in time (" + why + ").");
      throw HttpConnectionBroken("The transfer from " + url + " stalled after " +
                                 std::to_string(bytes_received) + " bytes (" + why + ").");
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
      throw HttpConnectionBroken("The connection to " + url + " broke after " +
                                 std::to_string(bytes_received) + " bytes (" + why + ").");
    default:
      throw Error("The request to " + url + " failed (" + why + ").");
  }
}

std::string http_status_sentence(const std::string& url, const HttpResponse& response) {
  std::string sentence =
      "The server at " + url + " answered HTTP " + std::to_string(response.status);
  if (const char* phrase = reason_phrase(response.status); phrase[0] != '\0') {
    sentence += std::string(" (") + phrase + ")";
  }
  if (const std::string message = server_message(response); !message.empty()) {
    sentence += ": " + message;
  }
  return sentence + ".";
}

}  // namespace beamscope::net
