// The Hub's answers a download reads, on arbitrary bytes: the file listing
// (JSON) and the headers of the answers to a HEAD on resolve/ (the ETag
// becomes a file name, the listing's names become paths). Input: the listing,
// then "\n\n", then header lines "Name: value", hops separated by "--" lines.
// Finding = crash, sanitizer report, an exception other than
// beamscope::Error, or a name or ETag that could leave its folder.
#include <cstdint>
#include <filesystem>
#include <string>

#include "fuzz_support.h"
#include "hub/file_fetch.h"
#include "hub/hub_listing.h"
#include "util/error.h"

namespace {

// Whether a listed name, joined to a snapshot folder, stays inside it: the
// invariant itself, by std::filesystem rather than the reader's own rules.
// ("..config.json" is an ordinary name; an earlier check that refused every
// name starting with ".." was wrong, not the reader.)
bool stays_inside(const std::string& name) {
  const std::filesystem::path base("/snapshot");
  const std::filesystem::path relative = (base / name).lexically_normal().lexically_relative(base);
  return !relative.empty() && relative != "." && *relative.begin() != ".." &&
         !std::filesystem::path(name).is_absolute();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace beamscope;
  const std::string input(fuzz::as_view(data, size));
  const std::size_t split = input.find("\n\n");
  const std::string listing = input.substr(0, split);
  const std::string headers = split == std::string::npos ? "" : input.substr(split + 2);

  try {
    for (const hub::HubFile& f : hub::parse_repo_listing(listing, "fuzz").files) {
      if (!hub::is_safe_repo_path(f.name) || !stays_inside(f.name)) {
        fuzz::fail("the listing let an unsafe file name through");
      }
    }
  } catch (const Error&) {
  }

  std::vector<net::HttpHop> hops(1);
  std::size_t at = 0;
  while (at < headers.size()) {
    std::size_t end = headers.find('\n', at);
    if (end == std::string::npos) end = headers.size();
    const std::string line = headers.substr(at, end - at);
    at = end + 1;
    if (line == "--") {
      hops.emplace_back();
    } else if (const std::size_t colon = line.find(':'); colon != std::string::npos) {
      hops.back().headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
  }
  try {
    const hub::RemoteFile remote = hub::read_remote_file(hops, "fuzz");
    if (remote.etag.empty() || remote.etag.find('/') != std::string::npos ||
        remote.etag.find('.') != std::string::npos) {
      fuzz::fail("an ETag that is not a plain file name was taken");
    }
  } catch (const Error&) {
  }
  return 0;
}
