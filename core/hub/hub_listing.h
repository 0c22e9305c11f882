#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hub/hub_settings.h"

namespace beamscope::hub {

struct HubFile {
  std::string name;  // path inside the repository: "config.json", "onnx/model.onnx"
  std::optional<std::uint64_t> size;  // when the listing says
};

struct HubListing {
  std::string commit;  // the 40-hex commit the revision points at now
  std::vector<HubFile> files;
};

// GET {endpoint}/api/models/{repo}/revision/{revision}?blobs=true. The answer
// is checked like a file from a stranger: the commit must be 40 hex digits and
// every file name a relative path without "..", so no name can reach outside
// the snapshot folder. A refusal (gated, unknown repo or revision) is one
// sentence (hub_refusal_sentence).
HubListing list_repo_files(const HubSettings& settings, const std::string& repo_id,
                           const std::string& revision);

// Reads the listing's JSON (split out for tests); `where` names it in errors.
HubListing parse_repo_listing(const std::string& json_text, const std::string& where);

// True for a path a snapshot may hold: relative, '/'-separated, no empty,
// "." or ".." part, no backslash or control character.
bool is_safe_repo_path(const std::string& name);

// A revision as one URL path segment: "refs/pr/1" -> "refs%2Fpr%2F1".
std::string revision_in_url(const std::string& revision);

// The sentence for a Hub answer that is not 2xx, saying what the user can do
// (gated: accept the licence and set HF_TOKEN; 404: check the name).
std::string hub_refusal_sentence(const std::string& what, long status, bool had_token,
                                 const std::string& error_code, const std::string& message);

}  // namespace beamscope::hub
