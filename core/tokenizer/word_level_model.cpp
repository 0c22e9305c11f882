// HF's WordLevel model: each piece is looked up whole.
#include "tokenizer/token_model.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

namespace {

class WordLevelModel final : public TokenModel {
 public:
  WordLevelModel(const json& part, const std::string& where) : TokenModel(where + ".vocab") {
    const json& vocab = member(part, "vocab", where);
    if (!vocab.is_object()) throw Error(where + ".vocab must be an object mapping words to ids.");
    vocab_.reserve(vocab.size());
    for (const auto& item : vocab.items()) {
      // Named copies: clang before 16 cannot capture a structured binding.
      const std::string& token = item.key();
      const json& id = item.value();
      vocab_.add(token, token_id_value_at(id, [&] {
                   return where + ".vocab[" + json_value_for_message(json(token)) + "]";
                 }));
    }
    vocab_.finish();
    if (auto unk = string_member(part, "unk_token", where)) unk_id_ = vocab_.find(*unk);
  }

  void tokenize(std::string_view piece, std::vector<std::int32_t>& ids) const override {
    if (auto id = vocab_.find(piece)) {
      ids.push_back(*id);
    } else if (unk_id_) {
      ids.push_back(*unk_id_);
    } else {
      throw Error("The WordLevel vocabulary has neither " +
                  json_value_for_message(json(std::string(piece))) + " nor an unknown token.");
    }
  }

 private:
  std::optional<std::int32_t> unk_id_;
};

}  // namespace

std::unique_ptr<TokenModel> read_word_level_model(const json& part, const std::string& where) {
  return std::make_unique<WordLevelModel>(part, where);
}

}  // namespace beamscope::hf
