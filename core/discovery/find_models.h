#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "discovery/found_model.h"
#include "discovery/search_roots.h"

namespace beamscope {

// Every model below the roots, each described from its headers
// (model_summary.h), in root order, then by name; a model reachable from two
// roots (a folder the user added inside the Hub cache) is listed once. Never
// throws for what it finds on disk: unreadable folders are skipped, broken
// models are listed with the reason they cannot be opened.
std::vector<FoundModel> find_models(const std::vector<SearchRoot>& roots);

// One scanner per kind of store (each in the file named after it).
void scan_hf_cache(const SearchRoot& root, std::vector<FoundModel>& out);
void scan_ollama(const SearchRoot& root, std::vector<FoundModel>& out);
// LM Studio, llama.cpp's cache and user folders: model folders (with a
// config.json) and .gguf files, a few levels deep.
void scan_file_tree(const SearchRoot& root, std::vector<FoundModel>& out);

// The snapshot a Hub cache repository folder (CACHE/models--ORG--NAME) holds
// for transformers: refs/main's, else the most recently written; nullopt
// when it has none.
std::optional<std::filesystem::path> hf_cache_snapshot(const std::filesystem::path& repo);

}  // namespace beamscope
