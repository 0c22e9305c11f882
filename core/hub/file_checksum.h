#pragma once

#include <filesystem>
#include <string>

namespace beamscope::hub {

// Lower-case hex digests of a file's bytes, read in pieces (files of several
// GB). Throws beamscope::Error naming the file when it cannot be read.
std::string file_sha256(const std::filesystem::path& path);
// Git's object id of the file as a blob: SHA-1 of "blob <size>\0" + bytes.
// The Hub's ETag of a file that is not in LFS (config.json, merges.txt).
std::string file_git_blob_sha1(const std::filesystem::path& path);

}  // namespace beamscope::hub
