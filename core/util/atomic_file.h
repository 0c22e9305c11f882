#pragma once

#include <filesystem>
#include <string_view>

namespace beamscope {

// Writes `contents` to `path` through a temporary file in the same folder and
// a rename, so readers never see a half-written file and a failed write
// (disk full, no permission) leaves the old file intact. Throws
// beamscope::Error naming the file.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// Reads a whole file; throws beamscope::Error naming the file on failure.
std::string read_file(const std::filesystem::path& path);

}  // namespace beamscope
