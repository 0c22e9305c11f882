#include "tokenizer/tokenizer_files.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace {

using nlohmann::json;

std::string type_of(const json& component) {
  if (component.is_object()) {
    auto type = component.find("type");
    if (type != component.end() && type->is_string()) return type->get<std::string>();
  }
  return "?";
}

// A boolean option that may be absent or null.
bool option(const json& object, const char* name, bool fallback, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw Error(where + ": \"" + name + "\" must be true or false.");
  return it->get<bool>();
}

// The ByteLevel pre-tokenizer's options; anything else splits differently.
void read_pre_tokenizer(const json& pre, BpeDefinition& def, const std::string& file) {
  const json* byte_level = &pre;
  if (type_of(pre) == "Sequence") {
    auto list = pre.find("pretokenizers");
    if (list == pre.end() || !list->is_array() || list->size() != 1) {
      throw Error(file + ": the pre-tokenizer is a Sequence other than a single ByteLevel step, " +
                  "which Beamscope does not support.");
    }
    byte_level = &(*list)[0];
  }
  if (type_of(*byte_level) != "ByteLevel") {
    throw Error(file + ": the pre-tokenizer is '" + type_of(*byte_level) +
                "'; Beamscope supports GPT-2's ByteLevel pre-tokenizer only.");
  }
  def.add_prefix_space = option(*byte_level, "add_prefix_space", false, file + ": pre_tokenizer");
  def.use_regex = option(*byte_level, "use_regex", true, file + ": pre_tokenizer");
}

void read_model_options(const json& model, BpeDefinition& def, const std::string& file) {
  const std::string where = file + ": model";
  if (auto dropout = model.find("dropout"); dropout != model.end() && !dropout->is_null()) {
    if (!dropout->is_number() || dropout->get<double>() != 0.0) {
      throw Error(file + ": BPE dropout makes tokenization random and is not supported.");
    }
  }
  for (const char* affix : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    auto it = model.find(affix);
    if (it == model.end() || it->is_null()) continue;
    if (!it->is_string()) throw Error(where + ": \"" + affix + "\" must be a string.");
    if (!it->get<std::string>().empty()) {
      throw Error(file + ": the BPE model uses a " + affix +
                  ", which byte-level BPE does not have.");
    }
  }
  if (option(model, "byte_fallback", false, where)) {
    throw Error(file + ": the BPE model uses byte_fallback (SentencePiece style); Beamscope " +
                "reads byte-level BPE only.");
  }
  def.ignore_merges = option(model, "ignore_merges", false, where);
}

void read_vocab(const json& model, BpeDefinition& def, const std::string& file) {
  auto vocab = model.find("vocab");
  if (vocab == model.end() || !vocab->is_object()) {
    throw Error(file + ": \"model.vocab\" must be an object mapping tokens to ids.");
  }
  def.vocab.reserve(vocab->size());
  for (const auto& [token, id] : vocab->items()) {
    if (!id.is_number_integer() ||
        (id.is_number_unsigned() && id.get<std::uint64_t>() > std::uint64_t(INT64_MAX))) {
      throw Error(file + ": model.vocab[\"" + token.substr(0, 60) +
                  "\"] is not an integer id in range.");
    }
    def.vocab.emplace_back(token, id.get<std::int64_t>());
  }
}

void read_merges(const json& model, BpeDefinition& def, const std::string& file) {
  auto merges = model.find("merges");
  if (merges == model.end() || !merges->is_array()) {
    throw Error(file + ": \"model.merges\" must be an array.");
  }
  def.merges.reserve(merges->size());
  for (std::size_t i = 0; i < merges->size(); ++i) {
    const json& merge = (*merges)[i];
    const std::string where = "model.merges[" + std::to_string(i) + "]";
    if (merge.is_string()) {
      // Older format: "left right", split at the one space.
      const std::string text = merge.get<std::string>();
      const std::size_t space = text.find(' ');
      if (space == 0 || space == std::string::npos || space + 1 == text.size() ||
          text.find(' ', space + 1) != std::string::npos) {
        throw Error(file + ": " + where + " must be two tokens separated by one space, got '" +
                    text.substr(0, 60) + "'.");
      }
      def.merges.push_back({text.substr(0, space), text.substr(space + 1), where});
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
               merge[1].is_string()) {
      // Newer format: ["left", "right"].
      def.merges.push_back({merge[0].get<std::string>(), merge[1].get<std::string>(), where});
    } else {
      throw Error(file + ": " + where + " must be a \"left right\" string or a pair of strings.");
    }
  }
}

void read_added_tokens(const json& root, BpeDefinition& def, const std::string& file) {
  auto added = root.find("added_tokens");
  if (added == root.end() || added->is_null()) return;
  if (!added->is_array()) throw Error(file + ": \"added_tokens\" must be an array.");
  for (std::size_t i = 0; i < added->size(); ++i) {
    const json& token = (*added)[i];
    const std::string where = file + ": added_tokens[" + std::to_string(i) + "]";
    auto id = token.is_object() ? token.find("id") : token.end();
    if (!token.is_object() || id == token.end() || !id->is_number_integer()) {
      throw Error(where + " needs an integer \"id\".");
    }
    const std::int64_t value =
        id->is_number_unsigned() && id->get<std::uint64_t>() > std::uint64_t(INT64_MAX)
            ? -1
            : id->get<std::int64_t>();
    def.added_tokens.push_back(parse_added_token(token, value, where));
  }
}

}  // namespace

BpeDefinition read_tokenizer_json(const std::filesystem::path& path) {
  const std::string file = path.string();
  const json root = read_tokenizer_json_file(path);
  if (!root.is_object()) throw Error(file + " must be a JSON object.");
  auto model = root.find("model");
  if (model == root.end() || !model->is_object()) {
    throw Error(file + " has no \"model\" object.");
  }
  if (auto type = model->find("type"); type != model->end()) {
    if (!type->is_string() || type->get<std::string>() != "BPE") {
      throw Error(file + ": the tokenizer model is '" +
                  (type->is_string() ? type->get<std::string>() : json_value_for_message(*type)) +
                  "'; Beamscope reads BPE tokenizers only.");
    }
  }
  if (auto normalizer = root.find("normalizer");
      normalizer != root.end() && !normalizer->is_null()) {
    throw Error(file + ": the normalizer '" + type_of(*normalizer) +
                "' is not supported; Beamscope reads GPT-2 style byte-level BPE.");
  }
  auto pre = root.find("pre_tokenizer");
  if (pre == root.end() || pre->is_null()) {
    throw Error(file + " has no pre-tokenizer; Beamscope reads byte-level BPE (ByteLevel) only.");
  }

  BpeDefinition def;
  def.source = file;
  read_pre_tokenizer(*pre, def, file);
  read_model_options(*model, def, file);
  read_vocab(*model, def, file);
  read_merges(*model, def, file);
  read_added_tokens(root, def, file);
  return def;
}

}  // namespace beamscope
