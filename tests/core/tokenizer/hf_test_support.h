#pragma once

// Builds tokenizer.json files in memory for the pipeline tests.
#include <nlohmann/json.hpp>

#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/load_tokenizer_json.h"

namespace beamscope::test {

using nlohmann::json;
using Ids = std::vector<std::int32_t>;

// Loads `tokenizer_json` (and, when given, a tokenizer_config.json beside it).
inline std::unique_ptr<Tokenizer> load_hf(const json& tokenizer_json,
                                          const json& config = nullptr) {
  TempDir dir;
  write_file(dir / "tokenizer.json", tokenizer_json.dump());
  if (!config.is_null()) write_file(dir / "tokenizer_config.json", config.dump());
  return load_tokenizer_json(dir / "tokenizer.json");
}

inline const std::string kBar = "\xE2\x96\x81";  // "▁", SentencePiece's space

// A Llama 2 style tokenizer: <unk> <s> </s>, the 256 byte tokens <0x00>..
// <0xFF> (ids 3..258), then "▁" 259, "a" 260, "b" 261, "▁a" 262, "▁ab" 263,
// "ab" 264; merges "▁ a" before "▁a b" before "a b".
inline json llama2_style_json() {
  json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab[name] = 3 + b;
  }
  vocab[kBar] = 259;
  vocab["a"] = 260;
  vocab["b"] = 261;
  vocab[kBar + "a"] = 262;
  vocab[kBar + "ab"] = 263;
  vocab["ab"] = 264;
  const auto special = [](int id, const char* content) {
    return json{{"id", id},        {"content", content},  {"single_word", false}, {"lstrip", false},
                {"rstrip", false}, {"normalized", false}, {"special", true}};
  };
  return {
      {"added_tokens", json::array({special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")})},
      {"normalizer",
       {{"type", "Sequence"},
        {"normalizers",
         json::array({{{"type", "Prepend"}, {"prepend", kBar}},
                      {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", kBar}}})}}},
      {"pre_tokenizer", nullptr},
      {"post_processor",
       {{"type", "TemplateProcessing"},
        {"single", json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                                {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
        {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
      {"decoder",
       {{"type", "Sequence"},
        {"decoders",
         json::array({{{"type", "Replace"}, {"pattern", {{"String", kBar}}}, {"content", " "}},
                      {{"type", "ByteFallback"}},
                      {{"type", "Fuse"}},
                      {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}},
      {"model",
       {{"type", "BPE"},
        {"dropout", nullptr},
        {"unk_token", "<unk>"},
        {"fuse_unk", true},
        {"byte_fallback", true},
        {"vocab", vocab},
        {"merges", json::array({kBar + " a", kBar + "a b", "a b"})}}}};
}

}  // namespace beamscope::test
