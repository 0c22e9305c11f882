// Session <-> the tree JSON of core/io/README.md: the top level, the model
// and the prompt here; the parameters in io/params_json.cpp, the nodes and
// sequences in io/tree_json.cpp. Non-finite doubles and non-UTF-8 token bytes
// are encoded losslessly (io/json_values.h), so load(save(x)) == x. The
// reader treats the file as hostile: every field is type-checked and the
// tree structure verified before use; unknown fields are ignored.
#include "io/session.h"

#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "io/json_object_reader.h"
#include "io/json_values.h"
#include "io/params_json.h"
#include "io/tree_json.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

using nlohmann::json;

namespace {
constexpr const char* kFormat = "beamscope-tree";
}  // namespace

json session_to_json(const Session& session) {
  json j;
  j["format"] = kFormat;
  j["version"] = kSessionFormatVersion;
  json model;
  put_bytes(model, "path", session.model.path);
  model["architecture"] = session.model.architecture;
  model["vocab_size"] = session.model.vocab_size;
  j["model"] = std::move(model);
  j["params"] = params_to_json(session.params);
  json prompt;
  put_bytes(prompt, "text", session.prompt_text);
  prompt["ids"] = session.prompt_ids;
  j["prompt"] = std::move(prompt);
  tree_to_json(session.tree, j);
  return j;
}

Session session_from_json(const json& j, std::string_view source) {
  const JsonObjectReader top(j, source, "the top level");
  if (top.string("format", "") != kFormat) {
    throw Error(std::string(source) +
                " is not a Beamscope tree file (its \"format\" is not \"beamscope-tree\").");
  }
  const long long version = top.integer("version", -1, 0, std::numeric_limits<int>::max());
  if (version > kSessionFormatVersion) {
    throw Error(std::string(source) + " was written by a newer Beamscope (format version " +
                std::to_string(version) + "); this version reads version " +
                std::to_string(kSessionFormatVersion) + ".");
  }
  if (version < 1) top.fail("its \"version\" is missing or below 1");

  Session s;
  if (top.has("model")) {
    const JsonObjectReader m = top.object("model", "model");
    s.model.path = m.bytes("path");
    s.model.architecture = m.string("architecture", "");
    s.model.vocab_size = m.int32("vocab_size", 0);
  }
  if (top.has("params")) s.params = params_from_json(top.object("params", "params"));
  if (top.has("prompt")) {
    const JsonObjectReader p = top.object("prompt", "prompt");
    s.prompt_text = p.bytes("text");
    s.prompt_ids = p.ids("ids");
  }
  s.tree = tree_from_json(top);
  return s;
}

void save_session(const Session& session, const std::filesystem::path& path) {
  // replace: never throw on text we failed to make valid UTF-8 (put_bytes
  // already guards token text; this covers reasons and names).
  const std::string text =
      session_to_json(session).dump(1, ' ', false, json::error_handler_t::replace);
  write_file_atomically(path, text + "\n");
}

Session load_session(const std::filesystem::path& path) {
  // Messages name the file as the user knows it, not its whole path.
  const std::string name = path.filename().string();
  return session_from_json(parse_json_text(read_file(path), name), name);
}

}  // namespace beamscope
