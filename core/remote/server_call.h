#pragma once

#include <atomic>
#include <string>

#include "net/http_client.h"
#include "remote/remote_server.h"

namespace beamscope::remote {

// One request to the server and its whole 2xx body. 429 and 503 are tried
// again after growing pauses (Retry-After when the server gives one), up to
// options.max_retries times; any other answer that is not 2xx is one
// sentence (401/403: the key). `cancel`, when set, stops the request and
// the pauses within a fraction of a second (beamscope::Cancelled).
// `method` is "GET" or "POST" (with `json_body`).
std::string call_server(const RemoteOptions& options, const std::string& method,
                        const std::string& url, const std::string& json_body,
                        const std::atomic<bool>* cancel = nullptr);

// The same without the non-2xx sentence: the status and body, for probes
// that try an endpoint to see whether the server has it (404 = no).
struct ServerAnswer {
  long status = 0;
  std::string body;  // the error body for a status that is not 2xx
  net::HttpResponse response;
};
ServerAnswer try_server(const RemoteOptions& options, const std::string& method,
                        const std::string& url, const std::string& json_body,
                        const std::atomic<bool>* cancel = nullptr);

}  // namespace beamscope::remote
