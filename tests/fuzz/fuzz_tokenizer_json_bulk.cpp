// Differential fuzzing of the tokenizer.json fast path (tokenizer/
// bpe_json_bulk.h, tokenizer/json_scanner.h) against nlohmann's full parser.
// Whenever the fast path accepts a text: if the full parser refuses it, the
// rest (the two members replaced) must be refused too, so no error is ever
// hidden (a number such as 1e999 elsewhere is the full parser's to refuse);
// otherwise it must read the same vocab and merges, and the rest must parse
// to the same document with those members emptied. The same for
// top_level_member(). Finding = crash, sanitizer report, hang, or any
// disagreement.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "tokenizer/bpe_json_bulk.h"
#include "tokenizer/json_scanner.h"

namespace {

using namespace beamscope;
using nlohmann::json;

json parse_or_fail(std::string_view text, const char* what) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    fuzz::fail(what);
  }
}

// The full parse of `text`, or null when it refuses it, after checking that
// `rest` is refused then too.
std::optional<json> full_parse(std::string_view text, const std::string& rest) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    try {
      (void)json::parse(rest);
    } catch (const json::exception&) {
      return std::nullopt;
    }
    fuzz::fail("an error in the text is gone from the rest");
  }
}

void check_bulk(std::string_view text) {
  hf::BpeBulkParts parts;
  if (!hf::read_bpe_bulk_parts(text, parts)) {
    if (!parts.vocab.empty() || !parts.merges.empty()) fuzz::fail("a refusal left parts behind");
    return;
  }
  const std::string rest_text = replace_json_values(text, parts.ranges);
  auto parsed = full_parse(text, rest_text);
  if (!parsed) return;
  json& full = *parsed;
  const json& model = full["model"];
  if (!model.is_object() || model.value("type", json()) != "BPE" || !model["vocab"].is_object()) {
    fuzz::fail("the fast path accepted a model that is not a BPE model with a vocab object");
  }
  std::map<std::string, std::int64_t> vocab;
  for (const auto& entry : parts.vocab) vocab[std::string(parts.text(entry.token))] = entry.id;
  std::map<std::string, std::int64_t> expected;
  for (const auto& item : model["vocab"].items()) {
    if (!item.value().is_number_unsigned()) fuzz::fail("the fast path took a non-integer id");
    expected[item.key()] = item.value().get<std::int64_t>();
  }
  // A duplicated key: the full parser keeps one of them; the key sets agree.
  if (vocab.size() != expected.size()) fuzz::fail("the vocabularies differ in size");
  for (const auto& [token, id] : expected) {
    if (!vocab.contains(token)) fuzz::fail("a token the full parser read is missing");
  }
  if (parts.has_merges) {
    const json& merges = model["merges"];
    if (!merges.is_array() || merges.size() != parts.merges.size()) {
      fuzz::fail("the merge lists differ");
    }
    for (std::size_t i = 0; i < merges.size(); ++i) {
      std::string left, right;
      if (merges[i].is_string()) {
        const std::string s = merges[i].get<std::string>();
        const auto space = s.find(' ');
        left = s.substr(0, space);
        right = s.substr(space + 1);
      } else {
        left = merges[i].at(0).get<std::string>();
        right = merges[i].at(1).get<std::string>();
      }
      if (left != parts.text(parts.merges[i].left) || right != parts.text(parts.merges[i].right)) {
        fuzz::fail("a merge differs");
      }
    }
    full["model"]["merges"] = json::array();
  }
  full["model"]["vocab"] = json::object();
  const json rest = parse_or_fail(rest_text, "the rest does not parse");
  if (rest != full) fuzz::fail("the rest parses to another document");
}

void check_member(std::string_view text) {
  const auto range = top_level_member(text, "model", "{}");
  if (!range) return;
  const std::string rest_text = replace_json_values(text, {*range});
  auto parsed = full_parse(text, rest_text);
  if (!parsed) return;
  json& full = *parsed;
  if (range->end - range->begin < 2) return;  // kept as it is
  full["model"] = json::object();
  if (parse_or_fail(rest_text, "the replaced text does not parse") != full) {
    fuzz::fail("top_level_member's replacement changed the rest");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_view(data, size);
  check_bulk(text);
  check_member(text);
  return 0;
}
