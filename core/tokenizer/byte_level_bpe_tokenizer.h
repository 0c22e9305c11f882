#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "tokenizer/added_tokens.h"
#include "tokenizer/bpe_definition.h"
#include "tokenizer/bpe_merges.h"
#include "tokenizer/gpt2_pretokenizer.h"
#include "tokenizer/tokenizer.h"

namespace beamscope {

// GPT-2 style byte-level BPE (GPT-2, GPT-J, RoBERTa, ... and HF tokenizer.json
// files with a BPE model and a ByteLevel pre-tokenizer).
//
// encode(): added tokens are cut out first; the rest is split by the GPT-2
// pattern; each piece's bytes start as one token each (every byte has a token
// in a byte-level vocabulary) and are merged lowest rank first. It is total:
// any bytes, valid UTF-8 or not, encode, and decode(encode(x)) == x.
//
// Thread-safe: const methods may be called concurrently (the word cache has
// its own lock).
class ByteLevelBpeTokenizer final : public Tokenizer {
 public:
  // Checks the definition as hostile input; throws beamscope::Error naming
  // definition.source and the problem.
  explicit ByteLevelBpeTokenizer(BpeDefinition definition);

  // GPT-2 style files add no special tokens, so add_special_tokens changes
  // nothing (HF's GPT-2 post-processor is a no-op too).
  std::vector<std::int32_t> encode(std::string_view text,
                                   bool add_special_tokens = true) const override;
  std::string decode(std::span<const std::int32_t> ids) const override;
  std::string token_bytes(std::int32_t id) const override;
  int vocab_size() const override { return static_cast<int>(tokens_.size()); }
  std::optional<std::int32_t> token_id(std::string_view token_text) const override;
  std::string token_string(std::int32_t id) const override;
  bool is_special(std::int32_t id) const override;

 private:
  struct TokenInfo {
    std::string spelling;  // as in the vocabulary ("Ġis")
    std::string bytes;     // what it stands for (" is")
    bool present = false;  // false for an unused id between used ones
    bool added = false;
    bool special = false;
  };

  const TokenInfo& checked(std::int32_t id) const;
  void encode_plain(std::string_view text, std::vector<std::int32_t>& ids) const;
  void encode_piece(std::string_view piece, std::vector<std::int32_t>& ids) const;

  std::vector<TokenInfo> tokens_;  // indexed by id
  std::unordered_map<std::string, std::int32_t> id_by_spelling_;
  std::unordered_map<std::string, std::int32_t> id_by_bytes_;  // for ignore_merges
  std::array<std::int32_t, 256> byte_token_{};                 // byte -> its one-byte token
  BpeMerges merges_;
  std::unique_ptr<AddedTokenMatcher> added_;
  Gpt2PreTokenizer pretokenizer_;
  bool add_prefix_space_ = false;
  bool use_regex_ = true;
  bool ignore_merges_ = false;

  // piece bytes -> ids; cleared when full so a long session cannot grow it
  // without bound.
  static constexpr std::size_t kCacheCapacity = 20000;
  static constexpr std::size_t kMaxCachedPiece = 256;
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<std::int32_t>> cache_;
};

}  // namespace beamscope
