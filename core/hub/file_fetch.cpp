#include "hub/file_fetch.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "hub/file_checksum.h"
#include "hub/hub_listing.h"
#include "net/http_client.h"
#include "net/url.h"
#include "util/error.h"
#include "util/file_lock.h"

namespace beamscope::hub {

namespace {

constexpr int kAttempts = 5;  // a cut connection is resumed this many times per run

std::string header(const net::HttpHeaders& headers, const char* name) {
  const std::string* value = net::find_header(headers, name);
  return value ? *value : std::string();
}

bool is_lower_hex(const std::string& s, std::size_t length) {
  if (s.size() != length) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// ETags come quoted, maybe weak (W/"..."); the bare value names the blob.
std::string normalize_etag(std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

bool parse_size(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

net::HttpRequest resolve_request(const HubSettings& settings, const std::string& repo_id,
                                 const std::string& commit, const std::string& file) {
  net::HttpRequest request;
  request.url =
      settings.endpoint + "/" + repo_id + "/resolve/" + commit + "/" + net::url_encode_path(file);
  // The bytes as stored: a compressed transfer would not match the checksum.
  request.headers = {{"Accept-Encoding", "identity"}};
  if (settings.token)
    request.origin_only_headers = {{"Authorization", "Bearer " + *settings.token}};
  return request;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

void check_blob(const std::filesystem::path& path, const RemoteFile& remote,
                const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::uint64_t size = fs::file_size(path, ec);
  const auto refuse = [&](const std::string& why) {
    fs::remove(path, ec);
    throw Error("The download of " + what + " " + why + "; it was not kept.");
  };
  if (remote.size_known && size != remote.size) {
    refuse("has " + std::to_string(size) + " bytes, not the " + std::to_string(remote.size) +
           " the Hub announced");
  }
  std::string kind, actual;
  if (is_lower_hex(remote.etag, 64)) {
    kind = "SHA-256";
    actual = file_sha256(path);
  } else if (is_lower_hex(remote.etag, 40)) {
    kind = "git SHA-1";
    actual = file_git_blob_sha1(path);
  }
  if (!kind.empty() && actual != remote.etag) {
    refuse("does not match its checksum (" + kind + " " + actual + ", expected " + remote.etag +
           ")");
  }
}

}  // namespace

RemoteFile describe_remote_file(const HubSettings& settings, const std::string& repo_id,
                                const std::string& commit, const std::string& file) {
  net::HttpRequest request = resolve_request(settings, repo_id, commit, file);
  request.method = "HEAD";
  const net::HttpResponse response = net::http_fetch(request);
  const std::string what = file + " of " + repo_id;
  if (response.status < 200 || response.status > 299) {
    throw Error(hub_refusal_sentence(what, response.status, settings.token.has_value(),
                                     header(response.headers, "x-error-code"),
                                     header(response.headers, "x-error-message")));
  }
  return read_remote_file(response.hops, what);
}

RemoteFile read_remote_file(const std::vector<net::HttpHop>& hops, const std::string& what) {
  if (hops.empty()) throw Error("The Hub sent no answer for " + what + ".");
  // The Hub's own answer is the hop that names the commit: for an LFS file it
  // is the redirect to the CDN, and X-Linked-* there describe the real file.
  const net::HttpHop* hub = &hops.back();
  for (const net::HttpHop& hop : hops) {
    if (net::find_header(hop.headers, "x-repo-commit")) {
      hub = &hop;
      break;
    }
  }
  RemoteFile remote;
  remote.commit = header(hub->headers, "x-repo-commit");
  std::string etag = header(hub->headers, "x-linked-etag");
  if (etag.empty()) etag = header(hub->headers, "etag");
  remote.etag = normalize_etag(etag);
  std::string size = header(hub->headers, "x-linked-size");
  if (size.empty()) size = header(hops.back().headers, "content-length");
  remote.size_known = parse_size(size, remote.size);
  // The ETag becomes a file name: only a plain token may (no '/', no "..").
  bool etag_ok = !remote.etag.empty() && remote.etag.size() <= 128;
  for (char c : remote.etag) {
    etag_ok = etag_ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  }
  if (!etag_ok) {
    throw Error("The Hub's answer for " + what + " has no usable ETag ('" + etag.substr(0, 80) +
                "').");
  }
  return remote;
}

namespace {

// The blob's lock, once nobody else holds it. While waiting the progress
// callback hears the other writer's bytes (its .incomplete file), so the
// user sees the download move and can cancel.
FileLock wait_for_blob_lock(const RepoCache& cache, const RemoteFile& remote,
                            const FileProgressFn& progress) {
  const std::filesystem::path path = cache.blob_lock(remote.etag);
  for (;;) {
    if (std::optional<FileLock> lock = FileLock::try_lock(path)) return std::move(*lock);
    std::error_code ec;
    const std::uintmax_t have = std::filesystem::file_size(cache.incomplete(remote.etag), ec);
    if (progress && !progress(ec ? 0 : have, remote.size_known ? remote.size : 0)) {
      throw Cancelled();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

bool fetch_blob(const HubSettings& settings, const std::string& repo_id, const std::string& commit,
                const std::string& file, const RemoteFile& remote, const RepoCache& cache,
                const FileProgressFn& progress) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path blob = cache.blob(remote.etag);
  if (fs::is_regular_file(blob, ec)) return false;
  fs::create_directories(blob.parent_path(), ec);
  if (ec) throw Error("Could not create the folder " + blob.parent_path().string() + ".");
  const fs::path partial = cache.incomplete(remote.etag);
  const std::string what = file + " of " + repo_id;
  // Another process (a second Beamscope, or huggingface_hub) may be writing
  // the same blob: wait for its lock, then take what it left.
  const FileLock lock = wait_for_blob_lock(cache, remote, progress);
  if (fs::is_regular_file(blob, ec)) return false;

  for (int attempt = 1;; ++attempt) {
    std::uint64_t have = fs::exists(partial, ec) ? fs::file_size(partial, ec) : 0;
    if (ec || (remote.size_known && have > remote.size)) have = 0;
    if (remote.size_known && have == remote.size) break;  // stopped before the rename last time

    net::HttpRequest request = resolve_request(settings, repo_id, commit, file);
    request.range_start = have;
    std::unique_ptr<std::FILE, FileCloser> out(std::fopen(partial.c_str(), have ? "ab" : "wb"));
    if (!out) throw Error("Could not write " + partial.string() + ".");
    net::HttpCallbacks callbacks;
    callbacks.on_headers = [&](long status, const net::HttpHeaders& headers) {
      if (status == 200 && have > 0) {  // the server sent it all: start over
        out.reset(std::fopen(partial.c_str(), "wb"));
        if (!out) throw Error("Could not write " + partial.string() + ".");
        have = 0;
      } else if (status == 206 &&
                 header(headers, "content-range").rfind("bytes " + std::to_string(have) + "-", 0) !=
                     0) {
        throw Error("The server sent " + what + " from another offset than asked.");
      }
    };
    callbacks.on_body = [&](std::string_view chunk) {
      if (std::fwrite(chunk.data(), 1, chunk.size(), out.get()) != chunk.size()) {
        throw Error("Could not write " + partial.string() + " (is the disk full?).");
      }
    };
    callbacks.on_progress = [&](std::uint64_t received, std::uint64_t) {
      return !progress || progress(have + received, remote.size_known ? remote.size : 0);
    };
    try {
      const net::HttpResponse response = net::http_fetch(request, callbacks);
      if (response.status == 416 && have > 0) {  // a stale partial file: start over
        out.reset();
        fs::remove(partial, ec);
        continue;
      }
      if (response.status < 200 || response.status > 299) {
        throw Error(hub_refusal_sentence(what, response.status, settings.token.has_value(),
                                         header(response.headers, "x-error-code"),
                                         header(response.headers, "x-error-message")));
      }
      if (std::fflush(out.get()) != 0) throw Error("Could not write " + partial.string() + ".");
      break;
    } catch (const net::HttpConnectionBroken&) {
      if (attempt >= kAttempts) throw;  // the .incomplete stays for the next run
    }
  }
  check_blob(partial, remote, what);
  fs::rename(partial, blob, ec);
  if (ec) throw Error("Could not move the download of " + what + " to " + blob.string() + ".");
  return true;
}

}  // namespace beamscope::hub
