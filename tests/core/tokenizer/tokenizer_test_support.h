#pragma once

// Shared by the tokenizer tests: where GPT-2's real vocabulary is, a loaded
// copy of it, scratch folders, and a tiny byte-level vocabulary to build
// hand-checkable tokenizers from.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "common/require_reference.h"
#include "tokenizer/bpe_definition.h"
#include "tokenizer/byte_unicode.h"
#include "tokenizer/load_tokenizer.h"

namespace beamscope::test {

inline std::filesystem::path gpt2_vocab_dir() {
  return std::filesystem::path(BEAMSCOPE_FETCHED_DIR) / "gpt2-vocab";
}

inline bool have_gpt2_vocab() {
  return std::filesystem::is_regular_file(gpt2_vocab_dir() / "vocab.json") &&
         std::filesystem::is_regular_file(gpt2_vocab_dir() / "merges.txt");
}

// The fetched GPT-2 vocabulary is a reference: where it is absent the calling
// test fails under tests/run.sh and skips, visibly, when run by hand.
#define BEAMSCOPE_REQUIRE_GPT2_VOCAB()                                                             \
  do {                                                                                             \
    if (!::beamscope::test::have_gpt2_vocab()) {                                                   \
      BEAMSCOPE_REFERENCE_MISSING("GPT-2 vocabulary missing at "                                   \
                                  << ::beamscope::test::gpt2_vocab_dir()                           \
                                  << " (run tests/fetch-test-data.sh " BEAMSCOPE_FETCHED_DIR ")"); \
    }                                                                                              \
  } while (0)

// GPT-2's tokenizer, loaded once for the whole test program.
inline const Tokenizer& gpt2_tokenizer() {
  static const std::unique_ptr<Tokenizer> tokenizer = load_tokenizer_folder(gpt2_vocab_dir());
  return *tokenizer;
}

// A fresh folder under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() /
            ("beamscope-tok-" + std::to_string(seed()) + "-" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
}

inline std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The 256 byte tokens (id = byte value) plus `extra` tokens after them, in
// the vocabulary's spelling (e.g. "Ġa").
inline BpeDefinition byte_vocabulary(const std::vector<std::string>& extra = {}) {
  BpeDefinition def;
  def.source = "test vocabulary";
  for (int b = 0; b < 256; ++b) {
    def.vocab.emplace_back(bytes_to_vocab_string(std::string(1, static_cast<char>(b))), b);
  }
  for (std::size_t i = 0; i < extra.size(); ++i) {
    def.vocab.emplace_back(extra[i], 256 + static_cast<std::int64_t>(i));
  }
  return def;
}

}  // namespace beamscope::test
