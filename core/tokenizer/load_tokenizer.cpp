#include "tokenizer/load_tokenizer.h"

#include "tokenizer/byte_level_bpe_tokenizer.h"
#include "tokenizer/tokenizer_files.h"
#include "util/error.h"

namespace beamscope {

std::unique_ptr<Tokenizer> load_tokenizer_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    throw Error("Tokenizer folder " + dir.string() + " does not exist.");
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error(dir.string() + " is not a folder; expected a model folder with a tokenizer.");
  }
  // As HF's fast tokenizers: tokenizer.json wins when both forms are present.
  if (std::filesystem::exists(dir / "tokenizer.json", ec)) {
    return std::make_unique<ByteLevelBpeTokenizer>(read_tokenizer_json(dir / "tokenizer.json"));
  }
  const bool has_vocab = std::filesystem::exists(dir / "vocab.json", ec);
  const bool has_merges = std::filesystem::exists(dir / "merges.txt", ec);
  if (has_vocab && has_merges) {
    return std::make_unique<ByteLevelBpeTokenizer>(read_vocab_and_merges(
        dir / "vocab.json", dir / "merges.txt", dir / "tokenizer_config.json"));
  }
  if (has_vocab) throw Error(dir.string() + " has vocab.json but no merges.txt.");
  if (has_merges) throw Error(dir.string() + " has merges.txt but no vocab.json.");
  throw Error(dir.string() +
              " has no tokenizer: expected tokenizer.json or vocab.json and merges.txt.");
}

}  // namespace beamscope
