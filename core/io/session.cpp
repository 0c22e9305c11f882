// Session <-> the tree JSON of core/io/README.md, plus Beamscope's extra node
// fields (reason, beam_score, count, forced, next distribution with stage
// cuts). Non-finite doubles and non-UTF-8 token bytes are encoded losslessly
// (io/json_values.h), so load(save(x)) == x. The reader treats the file as
// hostile: every field is type-checked and the tree structure verified before
// use; unknown fields are ignored.
#include "io/session.h"

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "io/json_values.h"
#include "io/reason_json.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

using nlohmann::json;

namespace {

constexpr const char* kFormat = "beamscope-tree";

// ---- writing ---------------------------------------------------------------

json params_to_json(const DecodeParams& p) {
  json j;
  j["strategy"] = std::string(to_string(p.strategy));
  j["num_beams"] = p.num_beams;
  j["max_new_tokens"] = p.max_new_tokens;
  j["length_penalty"] = number_to_json(p.length_penalty);
  if (p.early_stopping == EarlyStopping::Never) {
    j["early_stopping"] = "never";
  } else {
    j["early_stopping"] = p.early_stopping == EarlyStopping::True;
  }
  j["num_return_sequences"] = p.num_return_sequences;
  j["repetition_penalty"] = number_to_json(p.repetition_penalty);
  j["no_repeat_ngram_size"] = p.no_repeat_ngram_size;
  j["temperature"] = number_to_json(p.temperature);
  j["top_k"] = p.top_k;
  j["top_p"] = number_to_json(p.top_p);
  j["min_p"] = number_to_json(p.min_p);
  j["typical_p"] = number_to_json(p.typical_p);
  j["epsilon_cutoff"] = number_to_json(p.epsilon_cutoff);
  j["order"] = std::string(to_string(p.order));
  if (!p.custom_order.empty()) j["custom_order"] = p.custom_order;
  j["seed"] = p.seed;
  j["num_samples"] = p.num_samples;
  j["alternatives"] = p.alternatives;
  return j;
}

json distribution_to_json(const NextTokenDistribution& d) {
  json j;
  j["token_ids"] = d.token_ids;
  json texts = json::array();
  for (const std::string& t : d.texts) {
    json holder = json::object();
    put_bytes(holder, "t", t);
    // A plain string when valid UTF-8, else {"t": escaped, "t_hex": bytes}.
    texts.push_back(holder.size() == 1 ? holder["t"] : holder);
  }
  j["texts"] = std::move(texts);
  json logprobs = json::array();
  for (float x : d.logprobs) logprobs.push_back(number_to_json(x));
  j["logprobs"] = std::move(logprobs);
  json stages = json::array();
  for (const StageCut& c : d.stages) {
    json probs = json::array();
    for (float x : c.probs) probs.push_back(number_to_json(x));
    stages.push_back({{"stage", c.stage},
                      {"probs", std::move(probs)},
                      {"threshold", number_to_json(c.threshold)},
                      {"kept_total", c.kept_total}});
  }
  j["stages"] = std::move(stages);
  return j;
}

json node_to_json(const TreeNode& n) {
  json j;
  j["id"] = n.id;
  j["parent"] = n.parent < 0 ? json(nullptr) : json(n.parent);
  j["step"] = n.step;
  const bool root = n.parent < 0;
  // The root (the prompt) has no token; its numbers are written only where
  // they differ from the defaults so that the common case matches the
  // contract's minimal root.
  const TreeNode defaults;
  if (!root || n.token_id != defaults.token_id) j["token_id"] = n.token_id;
  if (!root || !n.text.empty()) put_bytes(j, "text", n.text);
  if (!root || n.logprob != defaults.logprob) j["logprob"] = number_to_json(n.logprob);
  if (!root || n.score_logprob != defaults.score_logprob)
    j["score_logprob"] = number_to_json(n.score_logprob);
  if (!root || n.cum_logprob != defaults.cum_logprob)
    j["cum_logprob"] = number_to_json(n.cum_logprob);
  if (!root || n.cum_prob != defaults.cum_prob) j["cum_prob"] = number_to_json(n.cum_prob);
  if (!root || n.rank != defaults.rank) j["rank"] = n.rank;
  j["status"] = std::string(to_string(n.status));
  put_reason(j, n.reason);
  if (!std::isnan(n.beam_score)) j["beam_score"] = number_to_json(n.beam_score);
  if (n.count != 0) j["count"] = n.count;
  if (n.forced) j["forced"] = true;
  if (!n.next.empty() || !n.next.stages.empty()) j["next"] = distribution_to_json(n.next);
  return j;
}

json sequence_to_json(const ReturnedSequence& s) {
  json j;
  j["node"] = s.node;
  j["token_ids"] = s.token_ids;
  put_bytes(j, "text", s.text);
  j["score"] = number_to_json(s.score);
  j["cum_logprob"] = number_to_json(s.cum_logprob);
  if (s.count != 0) j["count"] = s.count;
  return j;
}

// ---- reading ---------------------------------------------------------------

// Typed access to one JSON object; every failure names the file and the place.
class Reader {
 public:
  Reader(const json& object, std::string_view source, std::string where)
      : j_(object), source_(source), where_(std::move(where)) {
    if (!j_.is_object()) fail(where_ + " is not an object");
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(std::string(source_) + " is not a valid Beamscope tree: " + what + ".");
  }

  bool has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }
  const json& at(const char* key) const {
    if (!j_.contains(key)) fail(where_ + " has no \"" + std::string(key) + "\"");
    return j_.at(key);
  }

  long long integer(const char* key, long long fallback, long long lo, long long hi) const {
    if (!has(key)) return fallback;
    const json& v = j_.at(key);
    if (!v.is_number_integer()) fail(where_ + " has a non-integer \"" + std::string(key) + "\"");
    const long long x =
        v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(hi)
            ? hi + 1
            : v.get<long long>();
    if (x < lo || x > hi) fail(where_ + " has \"" + std::string(key) + "\" out of range");
    return x;
  }
  int int32(const char* key, int fallback) const {
    return static_cast<int>(
        integer(key, fallback, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
  }
  double number(const char* key, double fallback) const {
    if (!has(key)) return fallback;
    double out = 0;
    if (!number_from_json(j_.at(key), out))
      fail(where_ + " has an invalid number \"" + std::string(key) + "\"");
    return out;
  }
  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_.at(key).is_boolean()) fail(where_ + " has a non-boolean \"" + std::string(key) + "\"");
    return j_.at(key).get<bool>();
  }
  std::string string(const char* key, std::string fallback) const {
    if (!has(key)) return fallback;
    if (!j_.at(key).is_string()) fail(where_ + " has a non-string \"" + std::string(key) + "\"");
    return j_.at(key).get<std::string>();
  }
  std::string bytes(const char* key) const {
    if (!has(key)) return {};
    std::string out;
    if (!get_bytes(j_, key, out))
      fail(where_ + " has an invalid text \"" + std::string(key) + "\"");
    return out;
  }
  std::vector<std::int32_t> ids(const char* key) const {
    std::vector<std::int32_t> out;
    if (!has(key)) return out;
    const json& v = j_.at(key);
    if (!v.is_array()) fail(where_ + " has a non-array \"" + std::string(key) + "\"");
    for (const json& x : v) {
      if (!x.is_number_integer() || x.get<long long>() < std::numeric_limits<std::int32_t>::min() ||
          x.get<long long>() > std::numeric_limits<std::int32_t>::max()) {
        fail(where_ + " has a non-integer entry in \"" + std::string(key) + "\"");
      }
      out.push_back(x.get<std::int32_t>());
    }
    return out;
  }
  const json& array(const char* key) const {
    const json& v = at(key);
    if (!v.is_array()) fail(where_ + " has a non-array \"" + std::string(key) + "\"");
    return v;
  }

 private:
  const json& j_;
  std::string_view source_;
  std::string where_;
};

DecodeParams params_from_json(const Reader& r) {
  DecodeParams p;
  const std::string strategy = r.string("strategy", std::string(to_string(p.strategy)));
  if (auto s = parse_strategy(strategy)) {
    p.strategy = *s;
  } else {
    r.fail("params has an unknown strategy \"" + strategy + "\"");
  }
  p.num_beams = r.int32("num_beams", p.num_beams);
  p.max_new_tokens = r.int32("max_new_tokens", p.max_new_tokens);
  p.length_penalty = r.number("length_penalty", p.length_penalty);
  if (r.has("early_stopping")) {
    const json& e = r.at("early_stopping");
    if (e.is_boolean()) {
      p.early_stopping = e.get<bool>() ? EarlyStopping::True : EarlyStopping::False;
    } else if (e.is_string() && parse_early_stopping(e.get<std::string>())) {
      p.early_stopping = *parse_early_stopping(e.get<std::string>());
    } else {
      r.fail("params has an invalid \"early_stopping\" (use true, false or \"never\")");
    }
  }
  p.num_return_sequences = r.int32("num_return_sequences", p.num_return_sequences);
  p.repetition_penalty = r.number("repetition_penalty", p.repetition_penalty);
  p.no_repeat_ngram_size = r.int32("no_repeat_ngram_size", p.no_repeat_ngram_size);
  p.temperature = r.number("temperature", p.temperature);
  p.top_k = r.int32("top_k", p.top_k);
  p.top_p = r.number("top_p", p.top_p);
  p.min_p = r.number("min_p", p.min_p);
  p.typical_p = r.number("typical_p", p.typical_p);
  p.epsilon_cutoff = r.number("epsilon_cutoff", p.epsilon_cutoff);
  const std::string order = r.string("order", std::string(to_string(p.order)));
  if (auto o = parse_order(order)) {
    p.order = *o;
  } else {
    r.fail("params has an unknown order \"" + order + "\"");
  }
  if (r.has("custom_order")) {
    const json& names = r.array("custom_order");
    for (const json& n : names) {
      if (!n.is_string()) r.fail("params has a non-string entry in \"custom_order\"");
      p.custom_order.push_back(n.get<std::string>());
    }
  }
  if (r.has("seed")) {
    const json& s = r.at("seed");
    if (!s.is_number_integer() ||
        (s.is_number_integer() && !s.is_number_unsigned() && s.get<long long>() < 0)) {
      r.fail("params has an invalid \"seed\" (a non-negative integer)");
    }
    p.seed = s.get<std::uint64_t>();
  }
  p.num_samples = r.int32("num_samples", p.num_samples);
  p.alternatives = r.int32("alternatives", p.alternatives);
  return p;
}

std::vector<float> floats(const Reader& r, const char* key) {
  std::vector<float> out;
  if (!r.has(key)) return out;
  for (const json& x : r.array(key)) {
    double v = 0;
    if (!number_from_json(x, v)) r.fail("a \"" + std::string(key) + "\" entry is not a number");
    out.push_back(static_cast<float>(v));
  }
  return out;
}

NextTokenDistribution distribution_from_json(const Reader& r, std::string_view source,
                                             const std::string& where) {
  NextTokenDistribution d;
  d.token_ids = r.ids("token_ids");
  if (r.has("texts")) {
    for (const json& t : r.array("texts")) {
      if (t.is_string()) {
        d.texts.push_back(t.get<std::string>());
        continue;
      }
      std::string bytes;
      if (!t.is_object() || !get_bytes(t, "t", bytes))
        r.fail(where + " has an invalid entry in \"texts\"");
      d.texts.push_back(std::move(bytes));
    }
  }
  d.logprobs = floats(r, "logprobs");
  if (d.texts.size() != d.token_ids.size() || d.logprobs.size() != d.token_ids.size()) {
    r.fail(where + " lists different numbers of token_ids, texts and logprobs");
  }
  if (r.has("stages")) {
    for (const json& s : r.array("stages")) {
      const Reader sr(s, source, where + " stage");
      StageCut c;
      c.stage = sr.string("stage", "");
      c.probs = floats(sr, "probs");
      c.threshold = sr.number("threshold", std::numeric_limits<double>::quiet_NaN());
      c.kept_total = sr.int32("kept_total", 0);
      if (c.probs.size() != d.token_ids.size())
        r.fail(where + " has a stage cut of the wrong length");
      d.stages.push_back(std::move(c));
    }
  }
  return d;
}

TokenTree tree_from_json(const Reader& top, std::string_view source) {
  const json& nodes = top.array("nodes");
  if (nodes.empty()) top.fail("\"nodes\" is empty (the root is missing)");
  TokenTree tree;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string where = "node " + std::to_string(i);
    const Reader r(nodes[i], source, where);
    if (r.integer("id", -1, 0, std::numeric_limits<int>::max()) != static_cast<long long>(i)) {
      r.fail(where + " has id " + (r.has("id") ? json_value_for_message(r.at("id")) : "missing") +
             " (ids must be 0, 1, 2, ...)");
    }
    const int parent = r.has("parent") ? r.int32("parent", -1) : -1;
    if (i == 0 && parent != -1) r.fail("node 0 (the root) has a parent");
    if (i > 0 && (parent < 0 || parent >= static_cast<int>(i))) {
      r.fail(where + " has parent " + std::to_string(parent) + ", which is not an earlier node");
    }
    int id = 0;
    if (i > 0)
      id = tree.add_child(parent, r.int32("token_id", -1), r.bytes("text"),
                          r.number("logprob", 0.0));
    TreeNode& n = tree.node(id);
    const TreeNode defaults;
    n.step = r.int32("step", i == 0 ? 0 : tree.node(parent).step + 1);
    if (i > 0 && n.step != tree.node(parent).step + 1)
      r.fail(where + " has a step that is not its parent's + 1");
    n.token_id = r.int32("token_id", defaults.token_id);
    if (i > 0 && n.token_id < 0) r.fail(where + " has no valid \"token_id\"");
    n.text = r.bytes("text");
    n.logprob = r.number("logprob", defaults.logprob);
    n.score_logprob = r.number("score_logprob", defaults.score_logprob);
    n.cum_logprob = r.number("cum_logprob", defaults.cum_logprob);
    n.cum_prob = r.number("cum_prob", defaults.cum_prob);
    n.beam_score = r.number("beam_score", defaults.beam_score);
    n.rank = r.int32("rank", defaults.rank);
    const std::string status = r.string("status", i == 0 ? "root" : "");
    if (auto s = parse_node_status(status)) {
      n.status = *s;
    } else {
      r.fail(where + " has an unknown status \"" + status + "\"");
    }
    n.reason =
        read_reason(r.has("reason_data") ? &r.at("reason_data") : nullptr, r.string("reason", ""),
                    [&](const std::string& what) { r.fail(where + " has " + what); });
    n.count = r.int32("count", 0);
    n.forced = r.boolean("forced", false);
    if (r.has("next"))
      n.next = distribution_from_json(Reader(r.at("next"), source, where + " next"), source, where);
  }
  if (top.has("sequences")) {
    const json& seqs = top.array("sequences");
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      const std::string where = "sequence " + std::to_string(i);
      const Reader r(seqs[i], source, where);
      ReturnedSequence s;
      s.node = r.int32("node", -1);
      if (s.node < 0 || s.node >= tree.size())
        r.fail(where + " points to a node that does not exist");
      s.token_ids = r.ids("token_ids");
      s.text = r.bytes("text");
      s.score = r.number("score", 0.0);
      s.cum_logprob = r.number("cum_logprob", 0.0);
      s.count = r.int32("count", 0);
      tree.sequences.push_back(std::move(s));
    }
  }
  return tree;
}

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
  json nodes = json::array();
  for (const TreeNode& n : session.tree.nodes()) nodes.push_back(node_to_json(n));
  j["nodes"] = std::move(nodes);
  json seqs = json::array();
  for (const ReturnedSequence& s : session.tree.sequences) seqs.push_back(sequence_to_json(s));
  j["sequences"] = std::move(seqs);
  return j;
}

Session session_from_json(const json& j, std::string_view source) {
  const Reader top(j, source, "the top level");
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
    const Reader m(top.at("model"), source, "model");
    s.model.path = m.bytes("path");
    s.model.architecture = m.string("architecture", "");
    s.model.vocab_size = m.int32("vocab_size", 0);
  }
  if (top.has("params")) s.params = params_from_json(Reader(top.at("params"), source, "params"));
  if (top.has("prompt")) {
    const Reader p(top.at("prompt"), source, "prompt");
    s.prompt_text = p.bytes("text");
    s.prompt_ids = p.ids("ids");
  }
  s.tree = tree_from_json(top, source);
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
  const std::string text = read_file(path);
  const std::string name = path.filename().string();
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(name + " is not valid JSON (error at byte " + std::to_string(e.byte) + ").");
  } catch (const json::exception& e) {  // out_of_range: a number such as 1e999
    throw Error(name + " is not valid JSON (" + json_parse_error_text(e) + ").");
  }
  return session_from_json(j, name);
}

}  // namespace beamscope
