#include "hub/repo_cache.h"

#include <algorithm>

#include "util/atomic_file.h"
#include "util/error.h"

namespace beamscope::hub {

void RepoCache::link_snapshot_file(const std::string& commit, const std::string& file,
                                   const std::string& etag) const {
  namespace fs = std::filesystem;
  const fs::path pointer = snapshot(commit) / file;
  std::error_code ec;
  fs::create_directories(pointer.parent_path(), ec);
  if (ec) throw Error("Could not create the folder " + pointer.parent_path().string() + ".");
  fs::remove(pointer, ec);
  // Relative, so the cache can be moved or mounted elsewhere: up from the
  // file's folder to the repository folder (snapshots/<commit>/ plus one per
  // folder in the file's name), then down into blobs/.
  std::string target;
  const auto depth = 2 + std::count(file.begin(), file.end(), '/');
  for (int i = 0; i < depth; ++i) target += "../";
  target += "blobs/" + etag;
  fs::create_symlink(target, pointer, ec);
  if (ec) {
    fs::copy_file(blob(etag), pointer, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error("Could not place " + file + " in " + snapshot(commit).string() + ".");
  }
}

void RepoCache::write_ref(const std::string& revision, const std::string& commit) const {
  if (revision == commit) return;
  namespace fs = std::filesystem;
  const fs::path ref = folder_ / "refs" / revision;
  std::error_code ec;
  fs::create_directories(ref.parent_path(), ec);
  if (ec) throw Error("Could not create the folder " + ref.parent_path().string() + ".");
  write_file_atomically(ref, commit);
}

}  // namespace beamscope::hub
