#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "hub/hub_settings.h"

namespace beamscope::hub {

struct DownloadRequest {
  std::string repo_id;            // "HuggingFaceTB/SmolLM2-135M"
  std::string revision = "main";  // branch, tag or commit
  std::vector<std::string>
      include;  // shell patterns ("*.json", "*Q4_K_M.gguf"); empty: the default set
};

// Where a download stands; `file_total` / `all_total` are 0 while unknown.
struct DownloadProgress {
  std::string file;
  std::size_t file_index = 0;  // 0-based, of file_count
  std::size_t file_count = 0;
  std::uint64_t file_bytes = 0, file_total = 0;
  std::uint64_t all_bytes = 0, all_total = 0;
};
// Returning false cancels: download_repo throws beamscope::Cancelled, and
// what arrived stays as .incomplete for the next run to resume.
using DownloadProgressFn = std::function<bool(const DownloadProgress&)>;

struct DownloadedFile {
  std::string name;
  std::uint64_t size = 0;
  bool fetched = false;  // false: its blob was already in the cache
};

struct DownloadResult {
  std::string repo_id, revision, commit;
  std::filesystem::path snapshot;  // the folder transformers would load
  std::filesystem::path model;     // what --model takes: the snapshot, or its one .gguf file
  std::vector<DownloadedFile> files;
};

// Lists the revision, picks the files, and brings each into the cache (see
// repo_cache.h): a blob already there is not fetched again; a broken
// transfer is resumed with Range a few times, then left as .incomplete for
// the next run; every blob is checked against its ETag (SHA-256 for LFS
// files, git's blob SHA-1 for the others) before it is kept. The token goes
// to the endpoint only, never to the CDN a file is redirected to.
DownloadResult download_repo(const HubSettings& settings, const DownloadRequest& request,
                             const DownloadProgressFn& progress = {});

// The files of `names` a download takes. With patterns: those matching any
// (fnmatch: '*' also crosses '/', as huggingface_hub's allow_patterns).
// Without: what Beamscope and transformers load from a model folder at the top
// level (*.json, *.safetensors, *.txt, tokenizer.model, *.tiktoken); a
// repository of GGUF files only gives an error asking for --include, since
// each file is a whole model.
std::vector<std::string> select_repo_files(const std::vector<std::string>& names,
                                           const std::vector<std::string>& include,
                                           const std::string& repo_id);

}  // namespace beamscope::hub
