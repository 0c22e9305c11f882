#include "hub/hub_download.h"

#include "hub/file_fetch.h"
#include "hub/hub_listing.h"
#include "hub/repo_cache.h"
#include "util/error.h"

namespace beamscope::hub {

DownloadResult download_repo(const HubSettings& settings, const DownloadRequest& request,
                             const DownloadProgressFn& progress) {
  check_repo_id(request.repo_id);
  const std::string revision = request.revision.empty() ? "main" : request.revision;
  check_revision(revision);
  if (settings.cache.empty()) {
    throw Error("There is no Hugging Face cache folder: set HF_HUB_CACHE, HF_HOME or HOME.");
  }
  // Every file is fetched at the commit the revision names now, so a push
  // during the download cannot mix two versions in one snapshot.
  const HubListing listing = list_repo_files(settings, request.repo_id, revision);
  std::vector<std::string> names;
  for (const HubFile& f : listing.files) names.push_back(f.name);
  const std::vector<std::string> chosen =
      select_repo_files(names, request.include, request.repo_id);

  DownloadResult result;
  result.repo_id = request.repo_id;
  result.revision = revision;
  result.commit = listing.commit;
  const RepoCache cache(repo_cache_folder(settings.cache, request.repo_id));
  result.snapshot = cache.snapshot(listing.commit);

  DownloadProgress state;
  state.file_count = chosen.size();
  for (const HubFile& f : listing.files) {
    for (const std::string& name : chosen) {
      if (f.name == name && f.size) state.all_total += *f.size;
    }
  }
  std::uint64_t done_before = 0;  // bytes of the files already finished
  std::size_t gguf_files = 0;
  bool has_config = false;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const std::string& name = chosen[i];
    state.file = name;
    state.file_index = i;
    state.file_bytes = state.file_total = 0;
    if (progress && !progress(state)) throw Cancelled();
    const RemoteFile remote = describe_remote_file(settings, request.repo_id, listing.commit, name);
    const bool fetched = fetch_blob(settings, request.repo_id, listing.commit, name, remote, cache,
                                    [&](std::uint64_t bytes, std::uint64_t total) {
                                      state.file_bytes = bytes;
                                      state.file_total = total;
                                      state.all_bytes = done_before + bytes;
                                      return !progress || progress(state);
                                    });
    cache.link_snapshot_file(listing.commit, name, remote.etag);
    done_before += remote.size;
    result.files.push_back({name, remote.size, fetched});
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".gguf") == 0) ++gguf_files;
    if (name == "config.json") has_config = true;
  }
  cache.write_ref(revision, listing.commit);

  result.model = result.snapshot;
  if (!has_config && gguf_files == 1) {
    for (const DownloadedFile& f : result.files) {
      if (f.name.size() > 5 && f.name.compare(f.name.size() - 5, 5, ".gguf") == 0) {
        result.model = result.snapshot / f.name;
      }
    }
  }
  state.file_index = chosen.size();
  state.all_bytes = done_before;
  if (progress) progress(state);
  return result;
}

}  // namespace beamscope::hub
