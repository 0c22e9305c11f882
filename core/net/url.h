#pragma once

#include <string>

namespace beamscope::net {

// "scheme://host:port" of an absolute http(s) URL, lower-cased, with the
// default port filled in; empty when `url` is not one.
std::string url_origin(const std::string& url);

// The absolute URL a Location header names, read against the URL that sent
// it (Location may be relative: "/other/path" or "../x"). Throws
// beamscope::Error when the result is not an http or https address.
std::string resolve_location(const std::string& base, const std::string& location);

// Percent-encodes one path segment or a path whose '/' stay separators.
std::string url_encode_path(const std::string& path);

}  // namespace beamscope::net
