#include "net/url.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>

#include "util/error.h"

namespace beamscope::net {

namespace {
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::string part(CURLU* u, CURLUPart which, unsigned flags = 0) {
  char* text = nullptr;
  if (curl_url_get(u, which, &text, flags) != CURLUE_OK || text == nullptr) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::string url_origin(const std::string& url) {
  UrlHandle u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  const std::string scheme = lower(part(u.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") return {};
  // CURLU_DEFAULT_PORT: "http://h" and "http://h:80" are one origin.
  return scheme + "://" + lower(part(u.get(), CURLUPART_HOST)) + ":" +
         part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

std::string resolve_location(const std::string& base, const std::string& location) {
  UrlHandle u(curl_url());
  // Setting a relative URL on a handle that holds the base resolves it the
  // way RFC 3986 says, which is what a browser does with Location.
  if (!u || curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK ||
      curl_url_set(u.get(), CURLUPART_URL, location.c_str(), 0) != CURLUE_OK) {
    throw Error(base + " redirected to '" + location + "', which is not a valid address.");
  }
  const std::string scheme = lower(part(u.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    throw Error(base + " redirected to '" + location + "', which is not an http or https address.");
  }
  return part(u.get(), CURLUPART_URL);
}

std::string url_encode_path(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace beamscope::net
