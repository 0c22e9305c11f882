// Cutting long BPE pieces before "▁" (tokenizer/metaspace_cuts.h) must not
// change a single id: random BPE models over a small alphabet — some with
// tokens that contain "a▁", where a cut would be wrong — encode random texts
// of 300 to 1200 bytes (one piece each: no pre-tokenizer) exactly as a
// brute-force BPE written here (merge the lowest-rank adjacent pair, leftmost
// first, until none applies) does on the whole text.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/load_tokenizer_json.h"
#include "tokenizer/metaspace_cuts.h"
#include "tokenizer/model_vocabulary.h"

namespace beamscope::test {
namespace {

using nlohmann::json;
const std::vector<std::string> kAlphabet = {"a", "b", ">", "\xE2\x96\x81"};  // ▁ last

struct RandomBpe {
  std::vector<std::string> tokens;                          // by id
  std::vector<std::pair<std::string, std::string>> merges;  // by rank
};

RandomBpe random_bpe(std::mt19937& rng, bool allow_letter_before_marker) {
  RandomBpe bpe;
  bpe.tokens = kAlphabet;
  std::map<std::string, int> ids;
  for (std::size_t i = 0; i < bpe.tokens.size(); ++i) ids[bpe.tokens[i]] = int(i);
  std::uniform_int_distribution<std::size_t> pick(0, 1000);
  for (int tries = 0; bpe.merges.size() < 40 && tries < 2000; ++tries) {
    const std::string& left = bpe.tokens[pick(rng) % bpe.tokens.size()];
    const std::string& right = bpe.tokens[pick(rng) % bpe.tokens.size()];
    const std::string merged = left + right;
    if (merged.size() > 12 || ids.contains(merged)) continue;
    // Like real SentencePiece vocabularies, "▁" inside a token follows "▁"
    // or ">" only, unless this model is the one that breaks that.
    const bool letter_before_marker = merged.find("a\xE2\x96\x81") != std::string::npos ||
                                      merged.find("b\xE2\x96\x81") != std::string::npos;
    if (letter_before_marker && !allow_letter_before_marker) continue;
    ids[merged] = int(bpe.tokens.size());
    bpe.merges.emplace_back(left, right);
    bpe.tokens.push_back(merged);
  }
  return bpe;
}

std::vector<std::int32_t> brute_force_bpe(const RandomBpe& bpe, const std::string& text) {
  std::map<std::string, int> ids;
  for (std::size_t i = 0; i < bpe.tokens.size(); ++i) ids[bpe.tokens[i]] = int(i);
  std::map<std::pair<std::string, std::string>, int> rank;
  for (std::size_t i = 0; i < bpe.merges.size(); ++i) rank.emplace(bpe.merges[i], int(i));
  std::vector<std::string> symbols;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t length = (static_cast<unsigned char>(text[pos]) >= 0xE0) ? 3 : 1;
    symbols.push_back(text.substr(pos, length));
    pos += length;
  }
  for (;;) {
    int best = -1;
    std::size_t at = 0;
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
      auto it = rank.find({symbols[i], symbols[i + 1]});
      if (it != rank.end() && (best < 0 || it->second < best)) {
        best = it->second;
        at = i;
      }
    }
    if (best < 0) break;
    symbols[at] += symbols[at + 1];
    symbols.erase(symbols.begin() + std::ptrdiff_t(at) + 1);
  }
  std::vector<std::int32_t> out;
  for (const std::string& s : symbols) out.push_back(ids.at(s));
  return out;
}

std::filesystem::path write_tokenizer(const TempDir& dir, const RandomBpe& bpe) {
  json vocab = json::object(), merges = json::array();
  for (std::size_t i = 0; i < bpe.tokens.size(); ++i) vocab[bpe.tokens[i]] = i;
  for (const auto& [left, right] : bpe.merges) merges.push_back({left, right});
  const json file = {{"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
  const auto path = dir.path() / "tokenizer.json";
  std::ofstream(path) << file.dump();
  return path;
}

TEST(MetaspaceCuts, LongPiecesEncodeAsTheWholeTextDoes) {
  std::mt19937 rng(20261203);
  int models_with_letter_before_marker = 0;
  for (int model = 0; model < 15; ++model) {
    const bool breaking = model % 3 == 0;
    const RandomBpe bpe = random_bpe(rng, breaking);
    models_with_letter_before_marker += breaking;
    TempDir dir;
    const auto tokenizer = load_tokenizer_json(write_tokenizer(dir, bpe));
    for (int text_index = 0; text_index < 6; ++text_index) {
      std::string text;
      const std::size_t chars = 300 + rng() % 900;
      while (text.size() < chars) text += kAlphabet[rng() % kAlphabet.size()];
      ASSERT_EQ(tokenizer->encode(text, false), brute_force_bpe(bpe, text))
          << "model " << model << ", text " << text_index;
    }
  }
  EXPECT_GT(models_with_letter_before_marker, 0);
}

TEST(MetaspaceCuts, CutsOnlyWhereNoTokenJoinsTheTwoCharacters) {
  hf::ModelVocabulary vocab("test");
  const std::vector<std::string> tokens = {"a", "b", ">", "\xE2\x96\x81", ">\xE2\x96\x81", "ab"};
  for (std::size_t i = 0; i < tokens.size(); ++i) vocab.add(tokens[i], std::int64_t(i));
  vocab.finish();
  const hf::MetaspaceCuts cuts(vocab);
  std::vector<std::string_view> parts;
  // Cut before the marker after "a" and after "b", not after ">" (a token
  // holds ">▁"), nor after "c" (not a token: its initial symbols are not it).
  cuts.split(
      "ab\xE2\x96\x81"
      "a>\xE2\x96\x81"
      "b\xE2\x96\x81"
      "c\xE2\x96\x81"
      "a",
      parts);
  EXPECT_EQ(parts, (std::vector<std::string_view>{"ab",
                                                  "\xE2\x96\x81"
                                                  "a>\xE2\x96\x81"
                                                  "b",
                                                  "\xE2\x96\x81"
                                                  "c\xE2\x96\x81"
                                                  "a"}));
}

}  // namespace
}  // namespace beamscope::test
