#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "discovery/search_roots.h"

namespace beamscope::hub {

// Where downloads come from and go, resolved the way huggingface_hub does so
// that transformers and Beamscope share one cache.
struct HubSettings {
  std::string endpoint;              // $HF_ENDPOINT, else https://huggingface.co (no trailing '/')
  std::optional<std::string> token;  // $HF_TOKEN, else the token file; sent only to `endpoint`
  std::filesystem::path cache;  // $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub
};

// The token file is $HF_TOKEN_PATH, else $HF_HOME/token, else
// ~/.cache/huggingface/token; only its first line counts. It is read, never
// written.
HubSettings hub_settings_from_environment(const EnvironmentLookup& env = process_environment);

// "ORG/NAME" or a legacy "NAME" ("gpt2"): letters, digits, '-', '_', '.'
// only, no "--" or ".." (they would break the cache's folder names). Throws
// beamscope::Error with one sentence when it is not one.
void check_repo_id(const std::string& repo_id);
// A branch, tag or commit: no "..", no leading '/', printable ASCII.
void check_revision(const std::string& revision);

// The cache folder of a model repository: CACHE/models--ORG--NAME.
std::filesystem::path repo_cache_folder(const std::filesystem::path& cache,
                                        const std::string& repo_id);

}  // namespace beamscope::hub
