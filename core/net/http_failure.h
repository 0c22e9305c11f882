#pragma once

#include <cstdint>
#include <string>

#include "net/http_client.h"

namespace beamscope::net {

// Internal to core/net. Throws the one sentence for a transfer curl could not finish, naming the
// URL and what went wrong (unreachable, TLS, timeout, connection cut).
[[noreturn]] void throw_transfer_failure(int curl_code, const std::string& url, const char* detail,
                                         std::uint64_t bytes_received);

}  // namespace beamscope::net
