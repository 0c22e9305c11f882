// The merge loop on small hand-made vocabularies, and against a naive
// implementation of GPT-2's loop on random merge tables.
#include <gtest/gtest.h>

#include <map>

#include "core/tokenizer/tokenizer_test_support.h"
#include "tokenizer/bpe_merges.h"
#include "tokenizer/byte_level_bpe_tokenizer.h"

namespace beamscope::test {
namespace {

std::vector<std::int32_t> bytes_of(const std::string& s) {
  std::vector<std::int32_t> ids;
  for (char c : s) ids.push_back(static_cast<unsigned char>(c));
  return ids;
}

ByteLevelBpeTokenizer make(const std::vector<std::string>& extra,
                           const std::vector<std::pair<std::string, std::string>>& merges) {
  BpeDefinition def = byte_vocabulary(extra);
  for (std::size_t i = 0; i < merges.size(); ++i) {
    def.merges.push_back({merges[i].first, merges[i].second, "merge " + std::to_string(i)});
  }
  return ByteLevelBpeTokenizer(std::move(def));
}

TEST(BpeMerges, LowestRankFirst) {
  // "abc": rank 0 is (b,c), so a+b never happens; then (a,bc) -> abc.
  auto tok = make({"ab", "bc", "abc"}, {{"b", "c"}, {"a", "b"}, {"a", "bc"}});
  EXPECT_EQ(tok.encode("abc"), (std::vector<std::int32_t>{258}));
  EXPECT_EQ(tok.encode("ab"), (std::vector<std::int32_t>{256}));
  // The other order of ranks gives ab + c, and no rule joins those.
  auto tok2 = make({"ab", "bc", "abc"}, {{"a", "b"}, {"b", "c"}, {"a", "bc"}});
  EXPECT_EQ(tok2.encode("abc"), (std::vector<std::int32_t>{256, 'c'}));
}

TEST(BpeMerges, LeftmostWinsOnEqualRank) {
  auto tok = make({"aa", "aaaa"}, {{"a", "a"}, {"aa", "aa"}});
  EXPECT_EQ(tok.encode("aaa"), (std::vector<std::int32_t>{256, 'a'}));
  EXPECT_EQ(tok.encode("aaaa"), (std::vector<std::int32_t>{257}));
  EXPECT_EQ(tok.encode("aaaaa"), (std::vector<std::int32_t>{257, 'a'}));
}

TEST(BpeMerges, NoRulesLeavesBytes) {
  auto tok = make({}, {});
  EXPECT_EQ(tok.encode("hi!"), bytes_of("hi!"));
  EXPECT_EQ(tok.encode(""), std::vector<std::int32_t>{});
}

TEST(BpeMerges, MergesStayInsidePreTokens) {
  // Byte tokens have id = byte value here; ' ' is spelled 'Ġ'.
  auto tok = make({"ab", "Ġa"}, {{"a", "b"}, {"Ġ", "a"}});
  // "a" and " b" are separate pieces: (a, b) cannot join across them.
  EXPECT_EQ(tok.encode("a b"), (std::vector<std::int32_t>{'a', ' ', 'b'}));
  EXPECT_EQ(tok.encode("ab"), (std::vector<std::int32_t>{256}));
  EXPECT_EQ(tok.encode(" a"), (std::vector<std::int32_t>{257}));
  // In " ab" the lower rank (a, b) goes first, leaving Ġ alone.
  EXPECT_EQ(tok.encode(" ab"), (std::vector<std::int32_t>{' ', 256}));
}

// GPT-2's encoder.py loop, written out naively: find the lowest-ranked
// bigram, merge all its occurrences left to right, repeat.
std::vector<std::string> naive_gpt2_bpe(
    std::vector<std::string> parts,
    const std::map<std::pair<std::string, std::string>, int>& ranks) {
  while (parts.size() > 1) {
    int best_rank = INT32_MAX;
    std::pair<std::string, std::string> best;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      auto it = ranks.find({parts[i], parts[i + 1]});
      if (it != ranks.end() && it->second < best_rank) {
        best_rank = it->second;
        best = it->first;
      }
    }
    if (best_rank == INT32_MAX) break;
    std::vector<std::string> merged;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i + 1 < parts.size() && parts[i] == best.first && parts[i + 1] == best.second) {
        merged.push_back(parts[i] + parts[i + 1]);
        ++i;
      } else {
        merged.push_back(parts[i]);
      }
    }
    parts = merged;
  }
  return parts;
}

TEST(BpeMerges, HeapAgreesWithGpt2sLoopOnRandomTables) {
  std::mt19937 rng(5);
  for (int table = 0; table < 40; ++table) {
    // Learn a merge table the way BPE training does: each rule joins two
    // existing tokens into a new one, so ranks are consistent.
    std::vector<std::string> tokens = {"a", "b", "c"};
    std::vector<std::pair<std::string, std::string>> merges;
    std::map<std::pair<std::string, std::string>, int> ranks;
    std::vector<std::string> extra;
    for (int m = 0; m < 25; ++m) {
      std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
      const std::string left = tokens[pick(rng)], right = tokens[pick(rng)];
      if (ranks.count({left, right}) ||
          std::find(tokens.begin(), tokens.end(), left + right) != tokens.end()) {
        continue;
      }
      ranks[{left, right}] = static_cast<int>(merges.size());
      merges.emplace_back(left, right);
      tokens.push_back(left + right);
      extra.push_back(left + right);
    }
    auto tok = make(extra, merges);
    std::uniform_int_distribution<int> letter(0, 2), length(1, 30);
    for (int word = 0; word < 200; ++word) {
      std::string text(length(rng), 'a');
      for (char& c : text) c = static_cast<char>('a' + letter(rng));
      std::vector<std::string> parts;
      for (char c : text) parts.emplace_back(1, c);
      std::vector<std::int32_t> expected;
      for (const auto& part : naive_gpt2_bpe(parts, ranks)) expected.push_back(*tok.token_id(part));
      ASSERT_EQ(tok.encode(text), expected) << "table " << table << " text " << text;
    }
  }
}

}  // namespace
}  // namespace beamscope::test
