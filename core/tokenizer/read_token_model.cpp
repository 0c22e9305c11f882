#include "tokenizer/token_model.h"
#include "util/error.h"

namespace beamscope::hf {

std::unique_ptr<TokenModel> read_token_model(const json& part, const std::string& where,
                                             const BpeBulkParts* bulk) {
  if (!part.is_object()) throw Error(where + " must be an object.");
  // Old files leave out "type"; HF then tells the models apart by their fields.
  std::string type;
  if (part.contains("type")) {
    type = type_of(part, where);
  } else if (part.contains("merges")) {
    type = "BPE";
  } else if (part.contains("vocab") && part["vocab"].is_array()) {
    type = "Unigram";
  } else {
    type = "WordLevel";
  }
  if (type == "BPE") return read_bpe_model(part, where, bulk);
  if (type == "Unigram") return read_unigram_model(part, where);
  if (type == "WordLevel") return read_word_level_model(part, where);
  unsupported_type(where, type);
}

}  // namespace beamscope::hf
