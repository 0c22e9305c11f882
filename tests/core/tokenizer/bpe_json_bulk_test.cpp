// The fast path that reads a BPE tokenizer.json's vocab and merges without
// the DOM parser (tokenizer/bpe_json_bulk.h) against nlohmann's full parse of
// the same text: the same tokens, ids and merges on the real tokenizers and on
// hand-made edge cases; a refusal (so the full parser words the error) on
// anything it does not accept; and the rest of the file parsing to the same
// document, with parse errors reported at the same line and column.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "common/expect_error.h"
#include "common/require_reference.h"
#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/bpe_json_bulk.h"
#include "tokenizer/json_scanner.h"
#include "tokenizer/load_tokenizer_json.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::test {
namespace {

using nlohmann::json;

// Reads `text` both ways and checks they agree; returns false where the fast
// path refused.
bool agrees_with_full_parse(const std::string& text) {
  hf::BpeBulkParts parts;
  if (!hf::read_bpe_bulk_parts(text, parts)) return false;
  json full = json::parse(text);  // the fast path must not accept what this refuses
  std::map<std::string, std::int64_t> vocab;
  for (const auto& entry : parts.vocab) vocab[std::string(parts.text(entry.token))] = entry.id;
  EXPECT_EQ(vocab, full["model"]["vocab"].get<decltype(vocab)>());
  json merges = json::array();
  for (const auto& merge : parts.merges) {
    merges.push_back({parts.text(merge.left), parts.text(merge.right)});
  }
  json expected_merges = json::array();
  for (const json& merge : full["model"].value("merges", json::array())) {
    if (merge.is_string()) {
      const std::string s = merge.get<std::string>();
      const auto space = s.find(' ');
      expected_merges.push_back({s.substr(0, space), s.substr(space + 1)});
    } else {
      expected_merges.push_back(merge);
    }
  }
  EXPECT_EQ(merges, expected_merges);
  // The rest parses to the document with the two members emptied.
  json rest = json::parse(replace_json_values(text, parts.ranges));
  full["model"]["vocab"] = json::object();
  if (parts.has_merges) full["model"]["merges"] = json::array();
  EXPECT_EQ(rest, full);
  return true;
}

TEST(BpeJsonBulk, RealTokenizersReadAsTheFullParserReadsThem) {
  for (const char* name : {"llama2", "llama3", "qwen3", "gemma3"}) {
    const auto file = std::filesystem::path(BEAMSCOPE_FETCHED_DIR) / name / "tokenizer.json";
    if (!std::filesystem::exists(file)) {
      BEAMSCOPE_REFERENCE_MISSING(file << " (run tests/fetch-test-data.sh)");
    }
    SCOPED_TRACE(name);
    EXPECT_TRUE(agrees_with_full_parse(read_whole_file(file)));
  }
}

TEST(BpeJsonBulk, EscapesSpacingAndMemberOrder) {
  // Escapes of every kind, a surrogate pair, "type" after the vocab, odd
  // whitespace, both merge forms, an empty merges list.
  EXPECT_TRUE(agrees_with_full_parse(R"( {"version":"1.0","model" :
    { "vocab" : {"a":0, "\u00e9" : 1,"\ud83d\ude00":2,"q\"\\\/\b\f\n\r\t":3,"ab":4, "é":5} ,
      "merges" : ["a b", ["a","b"]], "type": "BPE" , "x": [1, -2.5e3, true, null, {}]},
    "added_tokens": [] } )"));
  EXPECT_TRUE(agrees_with_full_parse(R"({"model":{"type":"BPE","vocab":{},"merges":[]}})"));
  EXPECT_TRUE(agrees_with_full_parse(R"({"model":{"type":"BPE","vocab":{"a":0}}})"));
}

TEST(BpeJsonBulk, RefusesWhatItDoesNotTakeAndLeavesItToTheFullParser) {
  for (const char* text : {
           R"({"model":{"type":"BPE","vocab":{"\ud800":0},"merges":[]}})",   // lone surrogate
           R"({"model":{"type":"BPE","vocab":{"\udc00x":0},"merges":[]}})",  // low first
           "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\x01\":0}}}",         // control char
           "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\xff\":0}}}",         // bad UTF-8
           R"({"model":{"type":"BPE","vocab":{"a":01}}})",                   // leading zero
           R"({"model":{"type":"BPE","vocab":{"a":1.0}}})",                  // a float id
           R"({"model":{"type":"BPE","vocab":{"a":-1}}})",                   // negative
           R"({"model":{"type":"BPE","vocab":{"a":16777216}}})",             // past kMaxTokenId
           R"({"model":{"type":"BPE","vocab":{"a":99999999999999999999999}}})",
           R"({"model":{"type":"Unigram","vocab":{"a":0}}})",                // not BPE
           R"({"model":{"vocab":{"a":0}}})",                                 // no type
           R"({"model":{"type":"BPE","vocab":{"a":0}},"model":{}})",         // model twice
           R"({"model":{"type":"BPE","vocab":{"a":0},"vocab":{}}})",         // vocab twice
           R"({"model":{"type":"BPE","vocab":{"a":0},"merges":["a  b"]}})",  // two spaces
           R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[" a"]}})",    // leading space
           R"({"model":{"type":"BPE","vocab":{"a":0},"merges":[["a"]]}})",   // one part
           R"({"model":{"type":"BPE","vocab":{"a":0,}}})",                   // trailing comma
           R"({"model":{"type":"BPE","vocab":{"a":0}}} x)",                  // trailing bytes
           "\xEF\xBB\xBF{\"model\":{\"type\":\"BPE\",\"vocab\":{}}}",        // byte order mark
           R"({"model":{"type":"BPE","vocab":{"a":0}},"x":[[[[[[)",          // unclosed
       }) {
    SCOPED_TRACE(text);
    hf::BpeBulkParts parts;
    EXPECT_FALSE(hf::read_bpe_bulk_parts(text, parts));
    EXPECT_TRUE(parts.vocab.empty() && parts.merges.empty() && parts.arena.empty());
  }
}

TEST(BpeJsonBulk, TooDeepNestingIsRefusedNotRecursed) {
  const std::string deep = R"({"x":)" + std::string(100000, '[') + std::string(100000, ']') +
                           R"(,"model":{"type":"BPE","vocab":{"a":0}}})";
  hf::BpeBulkParts parts;
  EXPECT_FALSE(hf::read_bpe_bulk_parts(deep, parts));
}

TEST(BpeJsonBulk, ErrorsInTheRestKeepTheirLineAndColumn) {
  // The scanner refuses any syntax error (the full parser then reads the
  // file), but the rest must still keep every later byte's line and column:
  // break the same character after the vocab in the text and in the rest,
  // and the full parser reports both at the same line and column. The vocab spans lines; the broken
  // byte is on its last line.
  const std::string text =
      "{\"model\": {\"type\": \"BPE\", \"vocab\": {\n  \"a\": 0,\n  \"bb\": 1\n}, \"merges\": "
      "[\n\"a a\"\n], \"x\": 12}}";
  hf::BpeBulkParts parts;
  ASSERT_TRUE(hf::read_bpe_bulk_parts(text, parts));
  std::string rest = replace_json_values(text, parts.ranges);
  std::string broken = text;
  // The rest is shorter (newlines kept, not the bytes between them).
  broken[text.rfind("12")] = '#';
  rest[rest.rfind("12")] = '#';
  std::string full_error, rest_error;
  try {
    parse_json_text(broken, "f");
  } catch (const Error& e) {
    full_error = e.what();
  }
  try {
    parse_json_text(rest, "f");
  } catch (const Error& e) {
    rest_error = e.what();
  }
  EXPECT_NE(full_error.find("line 6"), std::string::npos) << full_error;
  EXPECT_EQ(rest_error, full_error);
  // A number the full parser cannot hold is not skipped: the scanner steps
  // aside and the full parser's sentence is the one the user sees.
  EXPECT_FALSE(hf::read_bpe_bulk_parts(
      R"({"model": {"type": "BPE", "vocab": {"a": 0}}, "x": 1e999})", parts));
}

TEST(BpeJsonBulk, BadFilesGetTheSameSentenceEitherWay) {
  // A merge naming a token the vocabulary lacks is found after the fast path
  // accepted the syntax; a float id is refused by the full parser's path.
  TempDir dir;
  const auto write = [&](const std::string& text) {
    const auto file = dir.path() / "tokenizer.json";
    std::ofstream(file) << text;
    return file;
  };
  EXPECT_ERROR_CONTAINS(
      load_tokenizer_json(write(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":["a c"]}})")),
      "model.merges[0] uses \"c\", which is not in the vocabulary.");
  EXPECT_ERROR_CONTAINS(
      load_tokenizer_json(write(R"({"model":{"type":"BPE","vocab":{"a":1.5},"merges":[]}})")),
      "model.vocab[\"a\"]");
  EXPECT_ERROR_CONTAINS(
      load_tokenizer_json(write(R"({"model":{"type":"BPE","vocab":{"a":0,"b":0},"merges":[]}})")),
      "id 0 is given to both");
}

TEST(JsonScanner, ANumberTheFullParserRefusesIsNotSkipped) {
  // Found by fuzz_tokenizer_json_bulk: a double overflow inside a member the
  // scanner skips would have been replaced, and its error hidden.
  const std::string text = R"({"model": {"type": "BPE", "vocab": {"a": 2.5e999}}, "x": 1})";
  EXPECT_FALSE(top_level_member(text, "model", "{}").has_value());
  EXPECT_TRUE(
      top_level_member(R"({"model": [1.5e300, -2e-999, 123456789012345678901234]})", "model", "{}")
          .has_value());
}

TEST(JsonScanner, TopLevelMemberIsFoundOnceOrNotAtAll) {
  const std::string text = R"({"a": {"b": [1, 2]}, "big": {"x": "y"}, "c": true})";
  const auto range = top_level_member(text, "big", "{}");
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(json::parse(replace_json_values(text, {*range})),
            json::parse(R"({"a": {"b": [1, 2]}, "big": {}, "c": true})"));
  EXPECT_FALSE(top_level_member(R"({"big": 1, "big": 2})", "big", "{}").has_value());
  EXPECT_FALSE(top_level_member(R"({"big": 1,})", "big", "{}").has_value());
  EXPECT_FALSE(top_level_member(R"([1])", "big", "{}").has_value());
}

}  // namespace
}  // namespace beamscope::test
