#include "tokenizer/load_tokenizer.h"

#include "model/gguf/gguf_model.h"
#include "tokenizer/byte_level_bpe_tokenizer.h"
#include "tokenizer/llama2c_tokenizer.h"
#include "tokenizer/load_tokenizer_json.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "tokenizer/tokenizer_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

std::unique_ptr<Tokenizer> load_tokenizer_json_file(const std::filesystem::path& file) {
  return load_tokenizer_json(file);
}

}  // namespace

std::unique_ptr<Tokenizer> load_tokenizer(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw Error("Tokenizer path " + path.string() + " does not exist.");
  }
  if (std::filesystem::is_directory(path, ec)) return load_tokenizer_folder(path);
  // The formats are told apart by name, as the files are always named so;
  // each reader then checks that the contents really are its format.
  const std::string extension = path.extension().string();
  if (extension == ".json") {
    if (path.filename() == "vocab.json") {
      throw Error(path.string() +
                  " is half of a vocab.json + merges.txt pair; give the folder that holds both.");
    }
    return load_tokenizer_json_file(path);
  }
  if (extension == ".model") return load_sentencepiece_tokenizer(path);
  if (extension == ".bin") return load_llama2c_tokenizer(path);
  if (extension == ".gguf") return gguf_tokenizer(GgufFile(path));  // only the header is read
  throw Error(
      path.string() +
      " is not a tokenizer file Beamscope reads: expected a tokenizer.json, a SentencePiece "
      ".model, a llama2.c tokenizer.bin, a GGUF file, or a model folder.");
}

namespace {

// The files load_tokenizer_folder() chooses between, in its order.
enum class FolderTokenizer { kJson, kSentencePiece, kVocabMerges, kLlama2c, kNone };

FolderTokenizer folder_tokenizer(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto has = [&](const char* name) { return std::filesystem::exists(dir / name, ec); };
  // As Hugging Face's AutoTokenizer: the fast tokenizer.json wins, then the
  // SentencePiece model a slow tokenizer would read.
  if (has("tokenizer.json")) return FolderTokenizer::kJson;
  if (has("tokenizer.model")) return FolderTokenizer::kSentencePiece;
  if (has("vocab.json") && has("merges.txt")) return FolderTokenizer::kVocabMerges;
  if (has("vocab.json") || has("merges.txt")) return FolderTokenizer::kNone;  // half a pair
  if (has("tokenizer.bin")) return FolderTokenizer::kLlama2c;
  return FolderTokenizer::kNone;
}

}  // namespace

bool folder_has_tokenizer(const std::filesystem::path& dir) {
  return folder_tokenizer(dir) != FolderTokenizer::kNone;
}

std::unique_ptr<Tokenizer> load_tokenizer_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    throw Error("Tokenizer folder " + dir.string() + " does not exist.");
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error(dir.string() + " is not a folder; expected a model folder with a tokenizer.");
  }
  switch (folder_tokenizer(dir)) {
    case FolderTokenizer::kJson:
      return load_tokenizer_json_file(dir / "tokenizer.json");
    case FolderTokenizer::kSentencePiece:
      return load_sentencepiece_tokenizer(dir / "tokenizer.model");
    case FolderTokenizer::kVocabMerges:
      return std::make_unique<ByteLevelBpeTokenizer>(read_vocab_and_merges(
          dir / "vocab.json", dir / "merges.txt", dir / "tokenizer_config.json"));
    case FolderTokenizer::kLlama2c:
      return load_llama2c_tokenizer(dir / "tokenizer.bin");
    case FolderTokenizer::kNone:
      break;
  }
  const auto has = [&](const char* name) { return std::filesystem::exists(dir / name, ec); };
  if (has("vocab.json")) throw Error(dir.string() + " has vocab.json but no merges.txt.");
  if (has("merges.txt")) throw Error(dir.string() + " has merges.txt but no vocab.json.");
  throw Error(dir.string() +
              " has no tokenizer: expected tokenizer.json, tokenizer.model, vocab.json and "
              "merges.txt, or a llama2.c tokenizer.bin.");
}

}  // namespace beamscope
