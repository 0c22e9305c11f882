#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.h"

namespace beamscope {

// llama2.c's tokenizer.bin: int32 max_token_length, then per token float32
// score, int32 length and that many bytes, up to the end of the file (the
// file does not store its size; llama2.c takes it from the checkpoint, so a
// caller pairing it with a model compares vocab_size() with the model's).
// Pieces spell SentencePiece's "▁" as a plain space; "<0xNN>" pieces stand
// for the raw byte NN; id 1 is BOS and id 2 EOS, as llama2.c hard-codes.
//
// encode() follows llama2.c's encoder: a dummy-prefix space, one symbol per
// UTF-8 character (bytes of characters not in the vocabulary fall back to
// their <0xNN> pieces), then repeatedly the adjacent pair whose concatenation
// is a piece with the highest score is merged, leftmost first on ties. With
// add_special_tokens BOS (id 1) goes in front, as llama2.c encodes a prompt.
// decode() drops the leading space of the first piece and of a piece that
// follows BOS (llama2.c's decode() does the latter), so decode(encode(x))
// gives x back.
//
// The file is hostile input: every problem is a beamscope::Error naming the
// file and what is wrong. The tokenizer is immutable, so const methods may be
// called from several threads.
std::unique_ptr<Tokenizer> load_llama2c_tokenizer(const std::filesystem::path& file);

// The same from the file's bytes; `name` is what errors call them (the fuzz
// target feeds bytes directly).
std::unique_ptr<Tokenizer> parse_llama2c_tokenizer(std::string_view bytes, const std::string& name);

}  // namespace beamscope
