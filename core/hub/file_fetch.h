#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <vector>

#include "hub/hub_settings.h"
#include "hub/repo_cache.h"
#include "net/http_client.h"

namespace beamscope::hub {

// What the Hub says of one file at one commit (HEAD on resolve/).
struct RemoteFile {
  std::string etag;    // the blob's name in the cache; SHA-256 for LFS files
  std::string commit;  // X-Repo-Commit
  std::uint64_t size = 0;
  bool size_known = false;
};

// Bytes of this file so far and its size (0 unknown); false cancels.
using FileProgressFn = std::function<bool(std::uint64_t bytes, std::uint64_t total)>;

// What the answers to a HEAD on resolve/ say of the file (split out for the
// fuzz target): from the hop that names the commit (the Hub's own, for an LFS
// file its redirect to the CDN), X-Linked-Etag else ETag without quotes or
// W/, X-Linked-Size else the final Content-Length. The ETag becomes a file
// name, so only a plain token of at most 128 letters, digits, '-', '_' is
// taken; anything else is one sentence naming `what`.
RemoteFile read_remote_file(const std::vector<net::HttpHop>& hops, const std::string& what);

// HEAD {endpoint}/{repo}/resolve/{commit}/{file}; a refusal is one sentence.
RemoteFile describe_remote_file(const HubSettings& settings, const std::string& repo_id,
                                const std::string& commit, const std::string& file);

// Brings the blob of `remote` into `cache` (see hub_download.h for resume and
// checks); returns false when it was there already. Holds the blob's lock
// (RepoCache::blob_lock) while it writes; while another process holds it,
// waits (reporting that process's bytes, cancellable) and then takes its
// blob instead of fetching again.
bool fetch_blob(const HubSettings& settings, const std::string& repo_id, const std::string& commit,
                const std::string& file, const RemoteFile& remote, const RepoCache& cache,
                const FileProgressFn& progress);

}  // namespace beamscope::hub
