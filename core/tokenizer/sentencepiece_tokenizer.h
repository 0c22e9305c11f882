#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.h"

namespace beamscope {

// A SentencePiece tokenizer.model (Llama 2, Mistral, Gemma, T5 ... folders
// that ship no tokenizer.json), run by Debian's libsentencepiece so that
// ids and decode() are SentencePiece's own: its normalizer, dummy prefix,
// BPE or unigram model and byte fallback. encode() with add_special_tokens
// puts the model's BOS in front (SentencePiece's add_bos, Hugging Face's
// LlamaTokenizer default), without it adds nothing; "<s>" in the text is
// plain text, as SentencePiece treats it. token_bytes() is a
// piece's share of the text: "▁" as a space, "<0xNN>" as the byte; control
// and unknown pieces keep their spelling.
//
// The file is hostile input: size-checked, its wire format checked where the
// library trusts it (sentencepiece_model_check.h), then parsed by the
// library, whose complaint becomes one sentence naming the file.
std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::filesystem::path& file);

// The same from the file's bytes; `name` is what errors call them (the fuzz
// target feeds bytes directly).
std::unique_ptr<Tokenizer> parse_sentencepiece_model(std::string_view bytes,
                                                     const std::string& name);

}  // namespace beamscope
