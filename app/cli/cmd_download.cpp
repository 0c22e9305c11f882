// beamscope-cli download: a model from the Hugging Face Hub into the cache
// transformers uses, so `models` lists it and --model opens it.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "hub/hub_download.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

int run_download(const std::vector<std::string>& argv) {
  // The repository is the one bare word; --include may be given many times,
  // which Args (one value per option) does not take: both are read here.
  hub::DownloadRequest request;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--include" || argv[i].rfind("--include=", 0) == 0) {
      if (argv[i] == "--include" && i + 1 == argv.size()) {
        throw Error("Option --include needs a value.");
      }
      request.include.push_back(argv[i] == "--include" ? argv[++i] : argv[i].substr(10));
    } else if (argv[i].rfind("--", 0) != 0 && request.repo_id.empty()) {
      request.repo_id = argv[i];
    } else {
      rest.push_back(argv[i]);
    }
  }
  const Args args(rest, {"revision"});
  if (request.repo_id.empty()) throw Error("download needs a model name, like gpt2 or ORG/NAME.");
  request.revision = args.get_or("revision", "main");

  const hub::HubSettings settings = hub::hub_settings_from_environment();
  const bool live = isatty(STDERR_FILENO) != 0;
  auto last_draw = std::chrono::steady_clock::now();
  std::string current;
  const auto progress = [&](const hub::DownloadProgress& p) {
    if (p.file != current && !p.file.empty() && p.file_index < p.file_count) {
      if (live && !current.empty()) std::cerr << "\n";
      current = p.file;
      std::cerr << "[" << p.file_index + 1 << "/" << p.file_count << "] " << p.file
                << (live ? "" : "\n") << std::flush;
    }
    const auto now = std::chrono::steady_clock::now();
    if (live && now - last_draw > std::chrono::milliseconds(200)) {
      last_draw = now;
      std::cerr << "\r[" << p.file_index + 1 << "/" << p.file_count << "] " << p.file << "  "
                << megabytes(p.file_bytes);
      if (p.file_total) std::cerr << " of " << megabytes(p.file_total);
      std::cerr << "   " << std::flush;
    }
    return true;
  };
  const hub::DownloadResult result = hub::download_repo(settings, request, progress);
  if (live) std::cerr << "\n";

  nlohmann::ordered_json out;
  out["repo"] = result.repo_id;
  out["revision"] = result.revision;
  out["commit"] = result.commit;
  out["snapshot"] = result.snapshot.string();
  out["model"] = result.model.string();
  out["files"] = nlohmann::ordered_json::array();
  for (const hub::DownloadedFile& f : result.files) {
    out["files"].push_back({{"name", f.name}, {"size_bytes", f.size}, {"fetched", f.fetched}});
  }
  std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"download", "fetch a model from the Hugging Face Hub into its cache",
     "ORG/NAME [--revision R] [--include PATTERN]...\n"
     "  Downloads into the Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub or\n"
     "  ~/.cache/huggingface/hub) in the layout transformers uses, so `models` lists it and\n"
     "  --model opens it. Without --include: the top-level *.json, *.safetensors, *.txt,\n"
     "  tokenizer.model and *.tiktoken files; a GGUF repository needs --include naming the\n"
     "  file (for example --include '*Q4_K_M.gguf'). A broken download resumes where it\n"
     "  stopped; every file is checked against its checksum. The server is $HF_ENDPOINT\n"
     "  (default https://huggingface.co); a gated model needs $HF_TOKEN or the token file\n"
     "  ($HF_HOME/token), sent only to that server. Progress goes to stderr; stdout gets\n"
     "  {\"repo\", \"revision\", \"commit\", \"snapshot\", \"model\" (what --model takes),\n"
     "  \"files\": [{\"name\", \"size_bytes\", \"fetched\"}]}.",
     run_download});

}  // namespace
}  // namespace beamscope::cli
