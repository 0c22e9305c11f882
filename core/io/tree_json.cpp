#include "io/tree_json.h"

#include <cmath>
#include <limits>
#include <string>

#include "io/json_values.h"
#include "io/reason_json.h"
#include "util/json_text.h"

namespace beamscope {

using nlohmann::json;

namespace {

// ---- writing ---------------------------------------------------------------

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
  // Written only for a top-N source, so dense trees stay as they were.
  if (d.known > 0) {
    j["known"] = d.known;
    j["unknown_mass"] = number_to_json(d.unknown_mass);
  }
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
  if (!root || n.used_logprob != defaults.used_logprob)
    j["score_logprob"] = number_to_json(n.used_logprob);
  if (!root || n.cum_logprob != defaults.cum_logprob)
    j["cum_logprob"] = number_to_json(n.cum_logprob);
  if (!root || n.cum_prob != defaults.cum_prob) j["cum_prob"] = number_to_json(n.cum_prob);
  if (!root || n.rank != defaults.rank) j["rank"] = n.rank;
  j["status"] = std::string(to_string(n.status));
  put_reason(j, n.reason);
  if (!std::isnan(n.beam_sum)) j["beam_score"] = number_to_json(n.beam_sum);
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

NextTokenDistribution distribution_from_json(const JsonObjectReader& r) {
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
        r.fail(r.where() + " has an invalid entry in \"texts\"");
      d.texts.push_back(std::move(bytes));
    }
  }
  d.logprobs = r.floats("logprobs");
  if (d.texts.size() != d.token_ids.size() || d.logprobs.size() != d.token_ids.size()) {
    r.fail(r.where() + " lists different numbers of token_ids, texts and logprobs");
  }
  if (r.has("stages")) {
    for (const json& s : r.array("stages")) {
      const JsonObjectReader sr(s, r.source(), r.where() + " stage");
      StageCut c;
      c.stage = sr.string("stage", "");
      c.probs = sr.floats("probs");
      c.threshold = sr.number("threshold", std::numeric_limits<double>::quiet_NaN());
      c.kept_total = sr.int32("kept_total", 0);
      if (c.probs.size() != d.token_ids.size())
        r.fail(r.where() + " has a stage cut of the wrong length");
      d.stages.push_back(std::move(c));
    }
  }
  d.known = r.int32("known", 0);
  d.unknown_mass = r.number("unknown_mass", 0.0);
  if (d.known < 0 || !(d.unknown_mass >= 0.0 && d.unknown_mass <= 1.0)) {
    r.fail(r.where() + " has a top-N count below 0 or an unknown mass outside [0, 1]");
  }
  return d;
}

// Node `i`: its place in the tree is checked and it is added; then each of
// its own fields is read exactly once.
void read_node(const JsonObjectReader& r, std::size_t i, TokenTree& tree) {
  const std::string& where = r.where();
  if (r.integer("id", -1, 0, std::numeric_limits<int>::max()) != static_cast<long long>(i)) {
    r.fail(where + " has id " + (r.has("id") ? json_value_for_message(r.at("id")) : "missing") +
           " (ids must be 0, 1, 2, ...)");
  }
  const int parent = r.int32("parent", -1);
  if (i == 0 && parent != -1) r.fail("node 0 (the root) has a parent");
  if (i > 0 && (parent < 0 || parent >= static_cast<int>(i))) {
    r.fail(where + " has parent " + std::to_string(parent) + ", which is not an earlier node");
  }
  const TreeNode defaults;
  const int token_id = r.int32("token_id", defaults.token_id);
  if (i > 0 && token_id < 0) r.fail(where + " has no valid \"token_id\"");
  std::string text = r.bytes("text");
  const double logprob = r.number("logprob", defaults.logprob);
  // add_child sets a child's token, text and logprob (and derives the
  // cumulative numbers, which the file's values then replace below).
  const int id = i == 0 ? 0 : tree.add_child(parent, token_id, std::move(text), logprob);
  TreeNode& n = tree.node(id);
  if (i == 0) {
    n.token_id = token_id;
    n.text = std::move(text);
    n.logprob = logprob;
  }
  const int expected_step = i == 0 ? 0 : tree.node(parent).step + 1;
  n.step = r.int32("step", expected_step);
  if (i > 0 && n.step != expected_step) r.fail(where + " has a step that is not its parent's + 1");
  n.used_logprob = r.number("score_logprob", defaults.used_logprob);
  n.cum_logprob = r.number("cum_logprob", defaults.cum_logprob);
  n.cum_prob = r.number("cum_prob", defaults.cum_prob);
  n.beam_sum = r.number("beam_score", defaults.beam_sum);
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
  if (r.has("next")) n.next = distribution_from_json(r.object("next", where + " next"));
}

ReturnedSequence read_sequence(const JsonObjectReader& r, const TokenTree& tree) {
  ReturnedSequence s;
  s.node = r.int32("node", -1);
  if (s.node < 0 || s.node >= tree.size())
    r.fail(r.where() + " points to a node that does not exist");
  s.token_ids = r.ids("token_ids");
  s.text = r.bytes("text");
  s.score = r.number("score", 0.0);
  s.cum_logprob = r.number("cum_logprob", 0.0);
  s.count = r.int32("count", 0);
  return s;
}

}  // namespace

void tree_to_json(const TokenTree& tree, json& top) {
  json nodes = json::array();
  for (const TreeNode& n : tree.nodes()) nodes.push_back(node_to_json(n));
  top["nodes"] = std::move(nodes);
  json seqs = json::array();
  for (const ReturnedSequence& s : tree.sequences) seqs.push_back(sequence_to_json(s));
  top["sequences"] = std::move(seqs);
}

TokenTree tree_from_json(const JsonObjectReader& top) {
  const json& nodes = top.array("nodes");
  if (nodes.empty()) top.fail("\"nodes\" is empty (the root is missing)");
  TokenTree tree;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    read_node(JsonObjectReader(nodes[i], top.source(), "node " + std::to_string(i)), i, tree);
  }
  if (top.has("sequences")) {
    const json& seqs = top.array("sequences");
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      const JsonObjectReader r(seqs[i], top.source(), "sequence " + std::to_string(i));
      tree.sequences.push_back(read_sequence(r, tree));
    }
  }
  return tree;
}

}  // namespace beamscope
