// Fuzzes the tokenizer file readers and the tokenizer's own checks of what
// they return: tokenizer.json (every pipeline part: normalizers,
// pre-tokenizers, BPE / Unigram / WordLevel, post-processors, decoders) with
// an optional tokenizer_config.json, or vocab.json + merges.txt (+ an optional
// tokenizer_config.json). A tokenizer that is accepted then encodes and
// decodes a few fixed texts.
//
// Input layout (so one byte string can describe several files):
//   byte 0 even: the rest is tokenizer.json[, tokenizer_config.json]
//   byte 0 odd:  the rest is vocab.json, merges.txt[, tokenizer_config.json]
//                separated by the line "--8<--"
// Finding = crash, sanitizer report, hang, any exception other than
// beamscope::Error, or an id outside [0, vocab_size) from encode().
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "tokenizer/byte_level_bpe_tokenizer.h"
#include "tokenizer/load_tokenizer_json.h"
#include "tokenizer/tokenizer_files.h"
#include "util/error.h"

namespace {

using namespace beamscope;

std::vector<std::string_view> split_files(std::string_view rest) {
  constexpr std::string_view kSeparator = "\n--8<--\n";
  std::vector<std::string_view> parts;
  while (parts.size() < 2) {
    const auto at = rest.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(rest.substr(0, at));
    rest.remove_prefix(at + kSeparator.size());
  }
  parts.push_back(rest);
  return parts;
}

void exercise(const Tokenizer& tokenizer) {
  static const std::string_view kTexts[] = {"Hello world",
                                            " the  cat's\n\ttail",
                                            "<|endoftext|>x<|endoftext|>",
                                            "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80",
                                            "\xff\xfe broken \xc3",
                                            ""};
  const int vocab = tokenizer.vocab_size();
  for (const auto text : kTexts) {
    const auto ids = tokenizer.encode(text);
    (void)tokenizer.encode(text, /*add_special_tokens=*/false);
    for (const auto id : ids) {
      if (id < 0 || id >= vocab) fuzz::fail("encode() returned an id outside the vocabulary");
      (void)tokenizer.token_bytes(id);
      (void)tokenizer.token_string(id);
      (void)tokenizer.is_special(id);
    }
    (void)display_bytes(tokenizer.decode(ids));
  }
  // Out-of-range ids must be refused with an Error, never read.
  for (const std::int32_t id : {-1, vocab, vocab + 1000}) {
    try {
      (void)tokenizer.token_bytes(id);
      fuzz::fail("token_bytes() accepted an id outside the vocabulary");
    } catch (const Error&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = fuzz::as_view(data + 1, size - 1);
  try {
    const auto parts = split_files(rest);
    if (data[0] % 2 == 0) {
      const auto file = fuzz::write_scratch_file("tokenizer.json", parts[0]);
      // The config beside it is read too; one left by an earlier input goes.
      const auto config = file.parent_path() / "tokenizer_config.json";
      if (parts.size() > 1) {
        fuzz::write_scratch_file("tokenizer_config.json", parts[1]);
      } else {
        std::filesystem::remove(config);
      }
      exercise(*load_tokenizer_json(file));
    } else {
      const auto vocab = fuzz::write_scratch_file("vocab.json", parts[0]);
      const auto merges =
          fuzz::write_scratch_file("merges.txt", parts.size() > 1 ? parts[1] : std::string_view());
      std::filesystem::path config;
      if (parts.size() > 2) config = fuzz::write_scratch_file("tokenizer_config.json", parts[2]);
      exercise(ByteLevelBpeTokenizer(read_vocab_and_merges(vocab, merges, config)));
    }
  } catch (const Error&) {
  }
  return 0;
}
