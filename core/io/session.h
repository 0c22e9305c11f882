#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "decoding/decode_params.h"
#include "decoding/token_tree.h"
#include "model/model_info.h"

namespace beamscope {

// Parameters + prompt + tree: what Save Session and `decode --out` write.
// The JSON layout is the tree JSON of core/io/README.md (format
// "beamscope-tree", version 1).
struct Session {
  // The model the tree came from; the JSON keeps its path, architecture and
  // vocab_size.
  ModelInfo model;
  DecodeParams params;
  std::string prompt_text;
  std::vector<std::int32_t> prompt_ids;
  TokenTree tree;
  bool operator==(const Session&) const = default;
};

inline constexpr int kSessionFormatVersion = 1;

nlohmann::json session_to_json(const Session& session);
// `source` names the file in error messages. Unknown fields are ignored; a
// newer `version` or a missing/ill-typed required field is a beamscope::Error.
Session session_from_json(const nlohmann::json& json, std::string_view source);

// Writes to a temporary file next to `path` and renames it over `path`, so a
// failed write leaves any old file intact.
void save_session(const Session& session, const std::filesystem::path& path);
Session load_session(const std::filesystem::path& path);

}  // namespace beamscope
