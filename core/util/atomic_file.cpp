#include "util/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "util/error.h"

namespace beamscope {

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  std::random_device rd;
  const auto tmp =
      path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(rd()));
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    throw Error("Cannot write '" + path.string() + "': " + std::strerror(errno) + ".");
  }
  const bool wrote = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  const int write_errno = errno;
  const bool flushed = std::fflush(f) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !flushed || !closed) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw Error("Cannot write '" + path.string() +
                "': " + std::strerror(write_errno ? write_errno : EIO) +
                "; the previous file, if any, is unchanged.");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error("Cannot replace '" + path.string() + "': " + ec.message() + ".");
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("Cannot open '" + path.string() + "': " + std::strerror(errno) + ".");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw Error("Cannot read '" + path.string() + "'.");
  return buf.str();
}

}  // namespace beamscope
