#pragma once

#include <filesystem>

#include "discovery/found_model.h"

namespace beamscope {

// Fills in what a model is from its headers only (config.json, the
// safetensors headers of its weights, whether a tokenizer is there), and
// whether Beamscope can open it, with the reason in one sentence when not.
// Never throws for a bad model: a listing shows broken entries, it does not
// stop at them. `model.path` must be set.
void summarize_model_folder(FoundModel& model);

// The same for a GGUF file (a .gguf, or an Ollama blob): its metadata and
// tensor table (core/model/gguf), not its weights.
void summarize_gguf_file(FoundModel& model);

// True when the file starts with GGUF's magic (Ollama's blobs have no
// extension).
bool looks_like_gguf(const std::filesystem::path& file);

// Bytes of a file or, for a folder, of the files below it (links followed,
// at most a few levels deep); 0 where nothing can be read.
std::uint64_t size_on_disk(const std::filesystem::path& path);

}  // namespace beamscope
