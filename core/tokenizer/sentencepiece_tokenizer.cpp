#include "tokenizer/sentencepiece_tokenizer.h"

#include <sentencepiece_processor.h>

#include <vector>

#include "tokenizer/byte_piece.h"
#include "tokenizer/sentencepiece_model_check.h"
#include "tokenizer/tokenizer_files.h"
#include "util/error.h"

namespace beamscope {
namespace {

constexpr std::string_view kSpaceMark = "\xE2\x96\x81";  // "▁", SentencePiece's space

// The library's messages may end in a period or a newline; ours are one
// sentence, so the detail goes in parentheses without them.
std::string detail(const sentencepiece::util::Status& status) {
  std::string message = status.ToString();
  while (!message.empty() && (message.back() == '.' || message.back() == '\n')) message.pop_back();
  return message;
}

class SentencePieceTokenizer final : public Tokenizer {
 public:
  SentencePieceTokenizer(std::string_view bytes, const std::string& name);

  // add_special_tokens puts the model's BOS (if it has one) in front, as
  // SentencePiece's add_bos and Hugging Face's LlamaTokenizer do.
  std::vector<std::int32_t> encode(std::string_view text,
                                   bool add_special_tokens = true) const override;
  std::string decode(std::span<const std::int32_t> ids) const override;
  std::string token_bytes(std::int32_t id) const override { return checked(id).bytes; }
  int vocab_size() const override { return static_cast<int>(tokens_.size()); }
  std::optional<std::int32_t> token_id(std::string_view token_text) const override;
  std::string token_string(std::int32_t id) const override {
    return processor_.IdToPiece(checked_id(id));
  }
  bool is_special(std::int32_t id) const override { return checked(id).special; }

 private:
  struct TokenInfo {
    std::string bytes;
    bool special = false;
  };
  std::int32_t checked_id(std::int32_t id) const {
    if (id < 0 || id >= vocab_size()) {
      throw Error("Token id " + std::to_string(id) + " is outside the vocabulary of " +
                  std::to_string(vocab_size()) + " tokens.");
    }
    return id;
  }
  const TokenInfo& checked(std::int32_t id) const {
    return tokens_[static_cast<std::size_t>(checked_id(id))];
  }

  sentencepiece::SentencePieceProcessor processor_;
  std::vector<TokenInfo> tokens_;
};

SentencePieceTokenizer::SentencePieceTokenizer(std::string_view bytes, const std::string& name) {
  check_sentencepiece_model(bytes, name);
  const auto status = processor_.LoadFromSerializedProto(bytes);
  if (!status.ok()) {
    throw Error(name + " is not a usable SentencePiece model (" + detail(status) + ").");
  }
  const int size = processor_.GetPieceSize();
  if (size <= 0) throw Error(name + " is a SentencePiece model without pieces.");
  tokens_.resize(static_cast<std::size_t>(size));
  for (int id = 0; id < size; ++id) {
    TokenInfo& t = tokens_[static_cast<std::size_t>(id)];
    const std::string& piece = processor_.IdToPiece(id);
    t.special = processor_.IsControl(id) || processor_.IsUnknown(id);
    const auto byte = processor_.IsByte(id) ? byte_piece_value(piece) : std::nullopt;
    if (byte) {
      t.bytes = std::string(1, static_cast<char>(*byte));
    } else if (t.special) {
      t.bytes = piece;
    } else {
      for (std::size_t pos = 0; pos < piece.size();) {
        if (std::string_view(piece).substr(pos, kSpaceMark.size()) == kSpaceMark) {
          t.bytes += ' ';
          pos += kSpaceMark.size();
        } else {
          t.bytes += piece[pos++];
        }
      }
    }
  }
}

std::vector<std::int32_t> SentencePieceTokenizer::encode(std::string_view text,
                                                         bool add_special_tokens) const {
  std::vector<int> ids;
  const auto status = processor_.Encode(text, &ids);
  if (!status.ok())
    throw Error("SentencePiece could not encode the text (" + detail(status) + ").");
  std::vector<std::int32_t> out;
  out.reserve(ids.size() + 1);
  if (add_special_tokens && processor_.bos_id() >= 0) out.push_back(processor_.bos_id());
  out.insert(out.end(), ids.begin(), ids.end());
  return out;
}

std::string SentencePieceTokenizer::decode(std::span<const std::int32_t> ids) const {
  std::vector<int> checked_ids;
  checked_ids.reserve(ids.size());
  for (std::int32_t id : ids) checked_ids.push_back(checked_id(id));
  std::string text;
  const auto status = processor_.Decode(checked_ids, &text);
  if (!status.ok()) throw Error("SentencePiece could not decode the ids (" + detail(status) + ").");
  return text;
}

std::optional<std::int32_t> SentencePieceTokenizer::token_id(std::string_view token_text) const {
  // PieceToId answers the unknown id for a piece it does not have.
  const int id = processor_.PieceToId(token_text);
  if (id < 0 || id >= vocab_size() || processor_.IdToPiece(id) != token_text) return std::nullopt;
  return id;
}

}  // namespace

std::unique_ptr<Tokenizer> parse_sentencepiece_model(std::string_view bytes,
                                                     const std::string& name) {
  return std::make_unique<SentencePieceTokenizer>(bytes, name);
}

std::unique_ptr<Tokenizer> load_sentencepiece_tokenizer(const std::filesystem::path& file) {
  return parse_sentencepiece_model(read_bounded_tokenizer_file(file), file.string());
}

}  // namespace beamscope
