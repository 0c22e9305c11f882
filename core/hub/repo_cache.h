#pragma once

#include <filesystem>
#include <string>

namespace beamscope::hub {

// One repository's folder in the Hugging Face cache, laid out as
// huggingface_hub does so transformers and Beamscope share it:
//   blobs/<etag>                 the bytes, once, named by the Hub's ETag
//   blobs/<etag>.incomplete      a download in progress (resumed with Range)
//   snapshots/<commit>/<file>    relative links into blobs/
//   refs/<revision>              the commit a branch or tag pointed at
// and, beside the repository folders, huggingface_hub's lock files:
//   ../.locks/<folder name>/<etag>.lock
class RepoCache {
 public:
  explicit RepoCache(std::filesystem::path folder) : folder_(std::move(folder)) {}

  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path blob(const std::string& etag) const { return folder_ / "blobs" / etag; }
  std::filesystem::path incomplete(const std::string& etag) const {
    return folder_ / "blobs" / (etag + ".incomplete");
  }
  // Held by whoever writes blobs/<etag> (see FileLock).
  std::filesystem::path blob_lock(const std::string& etag) const {
    return folder_.parent_path() / ".locks" / folder_.filename() / (etag + ".lock");
  }
  std::filesystem::path snapshot(const std::string& commit) const {
    return folder_ / "snapshots" / commit;
  }

  // Makes snapshots/<commit>/<file> a relative link to blobs/<etag>
  // (replacing what was there); where the file system has no links, a copy.
  void link_snapshot_file(const std::string& commit, const std::string& file,
                          const std::string& etag) const;
  // refs/<revision> = commit, written atomically; nothing for a commit itself.
  void write_ref(const std::string& revision, const std::string& commit) const;

 private:
  std::filesystem::path folder_;
};

}  // namespace beamscope::hub
