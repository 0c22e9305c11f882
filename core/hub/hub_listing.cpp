#include "hub/hub_listing.h"

#include <nlohmann/json.hpp>

#include "net/http_client.h"
#include "net/url.h"
#include "util/error.h"

namespace beamscope::hub {

namespace {
bool is_hex(const std::string& s, std::size_t length) {
  if (s.size() != length) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string header_or_empty(const net::HttpHeaders& headers, const char* name) {
  const std::string* value = net::find_header(headers, name);
  return value ? *value : std::string();
}
}  // namespace

std::string revision_in_url(const std::string& revision) {
  std::string out;
  for (char c : net::url_encode_path(revision))
    out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

bool is_safe_repo_path(const std::string& name) {
  if (name.empty() || name.size() > 1000 || name.front() == '/') return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

HubListing parse_repo_listing(const std::string& json_text, const std::string& where) {
  const auto bad = [&](const std::string& why) {
    throw Error("The Hub's file listing from " + where + " is not usable: " + why + ".");
  };
  const auto json = nlohmann::json::parse(json_text, nullptr, false);
  if (!json.is_object()) bad("it is not a JSON object");
  HubListing listing;
  if (!json.contains("sha") || !json["sha"].is_string()) bad("it names no commit (\"sha\")");
  listing.commit = json["sha"].get<std::string>();
  if (!is_hex(listing.commit, 40)) bad("its commit is not 40 hex digits");
  if (!json.contains("siblings") || !json["siblings"].is_array())
    bad("it has no \"siblings\" list");
  for (const auto& sibling : json["siblings"]) {
    if (!sibling.is_object() || !sibling.contains("rfilename") ||
        !sibling["rfilename"].is_string()) {
      bad("an entry of \"siblings\" has no \"rfilename\"");
    }
    HubFile file;
    file.name = sibling["rfilename"].get<std::string>();
    if (!is_safe_repo_path(file.name)) bad("the file name '" + file.name + "' is not a safe path");
    // With ?blobs=true an LFS file says its real size under "lfs"; "size"
    // is then that of the pointer.
    const nlohmann::json* size = nullptr;
    if (sibling.contains("lfs") && sibling["lfs"].is_object() && sibling["lfs"].contains("size")) {
      size = &sibling["lfs"]["size"];
    } else if (sibling.contains("size")) {
      size = &sibling["size"];
    }
    if (size != nullptr && size->is_number_unsigned()) file.size = size->get<std::uint64_t>();
    listing.files.push_back(std::move(file));
  }
  return listing;
}

std::string hub_refusal_sentence(const std::string& what, long status, bool had_token,
                                 const std::string& error_code, const std::string& message) {
  const std::string code = "HTTP " + std::to_string(status);
  if (error_code == "GatedRepo") {
    return "The Hub refused " + what + " (" + code + "): it is a gated model; accept its licence " +
           "on the model's page and " +
           (had_token ? "use a token of that account." : "set HF_TOKEN (or log in).");
  }
  if (error_code == "RevisionNotFound")
    return "The Hub has no such revision of " + what + " (" + code + ").";
  if (error_code == "EntryNotFound") return "The Hub has no " + what + " (" + code + ").";
  if (status == 401 || status == 403) {
    // The Hub answers 401 for a repository that does not exist too, so as
    // not to tell strangers which private ones do.
    return "The Hub refused " + what + " (" + code +
           "): it does not exist, is private or is gated" +
           (had_token ? " and your token has no access to it."
                      : "; check the name, or set HF_TOKEN.");
  }
  if (status == 404) return "The Hub has no " + what + " (" + code + "); check the name.";
  std::string sentence = "The Hub answered " + code + " for " + what;
  if (!message.empty()) sentence += ": " + message;
  return sentence + ".";
}

HubListing list_repo_files(const HubSettings& settings, const std::string& repo_id,
                           const std::string& revision) {
  net::HttpRequest request;
  request.url = settings.endpoint + "/api/models/" + repo_id + "/revision/" +
                revision_in_url(revision) + "?blobs=true";
  if (settings.token)
    request.origin_only_headers = {{"Authorization", "Bearer " + *settings.token}};
  std::string body;
  net::HttpCallbacks callbacks;
  callbacks.on_body = [&](std::string_view chunk) {
    if (body.size() + chunk.size() > (64u << 20)) {
      throw Error("The Hub's file listing from " + request.url + " is larger than 64 MB.");
    }
    body.append(chunk);
  };
  const net::HttpResponse response = net::http_fetch(request, callbacks);
  if (response.status < 200 || response.status > 299) {
    throw Error(hub_refusal_sentence(repo_id + " at " + revision, response.status,
                                     settings.token.has_value(),
                                     header_or_empty(response.headers, "x-error-code"),
                                     header_or_empty(response.headers, "x-error-message")));
  }
  return parse_repo_listing(body, request.url);
}

}  // namespace beamscope::hub
