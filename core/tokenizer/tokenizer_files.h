#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tokenizer/bpe_definition.h"

namespace beamscope {

// Readers for the files a byte-level BPE tokenizer comes in. They check the
// files' syntax and types (errors name the file and the place); the
// tokenizer's constructor checks that the contents fit together.

// GPT-2's pair: vocab.json (token -> id) and merges.txt (optional "#version"
// line, then "left right" per line, blank lines ignored). Special tokens, as
// HF's GPT2Tokenizer sees them: "<|endoftext|>" (its default bos/eos/unk),
// and, when `config` names an existing tokenizer_config.json, its
// added_tokens_decoder and the tokens it names as bos/eos/unk/sep/pad/cls/
// mask/additional_special_tokens; named tokens count only if in vocab.json.
BpeDefinition read_vocab_and_merges(const std::filesystem::path& vocab,
                                    const std::filesystem::path& merges,
                                    const std::filesystem::path& config = {});

// HF tokenizers' single-file format: model (type BPE, vocab, merges as "a b"
// strings or ["a", "b"] pairs), added_tokens, and a GPT-2 ByteLevel
// pre-tokenizer. Anything that would tokenize differently (another model
// type, a normalizer, another pre-tokenizer, BPE dropout, subword prefixes,
// byte fallback) is refused with a message saying so.
BpeDefinition read_tokenizer_json(const std::filesystem::path& file);

// Tokenizer files above this size are refused before they are read: the
// largest real ones are tens of MB.
inline constexpr std::uintmax_t kMaxTokenizerFileBytes = 512ull << 20;

// The size of a tokenizer file after checking it exists, is a regular file
// and has at most kMaxTokenizerFileBytes; errors name the file.
std::uintmax_t checked_tokenizer_file_size(const std::filesystem::path& file);

// Reads a whole file of at most kMaxTokenizerFileBytes; errors name the file.
std::string read_bounded_tokenizer_file(const std::filesystem::path& file);

// Reads and parses a JSON file of at most kMaxTokenizerFileBytes; errors name
// the file.
nlohmann::json read_tokenizer_json_file(const std::filesystem::path& file);

// One added token from its JSON object ({content, special, single_word,
// lstrip, rstrip, normalized}; missing flags take HF's defaults). `where`
// names the file and place for errors ("tokenizer.json: added_tokens[2]").
AddedToken parse_added_token(const nlohmann::json& object, std::int64_t id,
                             const std::string& where);

}  // namespace beamscope
