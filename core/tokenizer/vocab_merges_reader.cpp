#include <algorithm>
#include <string_view>

#include "tokenizer/tokenizer_files.h"
#include "util/error.h"

namespace beamscope {

namespace {

constexpr std::string_view kEndOfText = "<|endoftext|>";

// A line shown in an error message: short enough to read.
std::string excerpt(std::string_view line) {
  constexpr std::size_t kMax = 60;
  if (line.size() <= kMax) return std::string(line);
  return std::string(line.substr(0, kMax)) + "...";
}

std::vector<std::pair<std::string, std::int64_t>> read_vocab(const std::filesystem::path& file) {
  const nlohmann::json json = read_tokenizer_json_file(file);
  if (!json.is_object()) {
    throw Error(file.string() + " must be a JSON object mapping tokens to ids.");
  }
  std::vector<std::pair<std::string, std::int64_t>> vocab;
  vocab.reserve(json.size());
  for (const auto& [token, id] : json.items()) {
    if (!id.is_number_integer()) {
      throw Error(file.string() + ": the id of token '" + excerpt(token) + "' is not an integer (" +
                  id.type_name() + ").");
    }
    if (id.is_number_unsigned() && id.get<std::uint64_t>() > std::uint64_t(INT64_MAX)) {
      throw Error(file.string() + ": the id of token '" + excerpt(token) + "' is out of range.");
    }
    vocab.emplace_back(token, id.get<std::int64_t>());
  }
  return vocab;
}

std::vector<BpeDefinition::Merge> read_merges(const std::filesystem::path& file) {
  const std::string text = read_bounded_tokenizer_file(file);
  std::vector<BpeDefinition::Merge> merges;
  std::size_t line_start = 0;
  std::size_t line_number = 0;
  while (line_start < text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    std::string_view line(text.data() + line_start, line_end - line_start);
    line_start = line_end + 1;
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);  // written on Windows
    if (line.empty() || line.starts_with("#version")) continue;
    const std::size_t space = line.find(' ');
    if (space == 0 || space == std::string_view::npos || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string_view::npos) {
      throw Error(file.string() + ", line " + std::to_string(line_number) +
                  ": expected two tokens separated by one space, got '" + excerpt(line) + "'.");
    }
    merges.push_back({std::string(line.substr(0, space)), std::string(line.substr(space + 1)),
                      "line " + std::to_string(line_number)});
  }
  return merges;
}

std::vector<AddedToken> read_added_tokens_decoder(const nlohmann::json& json,
                                                  const std::filesystem::path& file) {
  std::vector<AddedToken> added;
  auto decoder = json.find("added_tokens_decoder");
  if (decoder == json.end() || decoder->is_null()) return added;
  if (!decoder->is_object()) {
    throw Error(file.string() + ": \"added_tokens_decoder\" must be an object of id -> token.");
  }
  for (const auto& [key, value] : decoder->items()) {
    std::int64_t id = -1;
    try {
      std::size_t used = 0;
      id = std::stoll(key, &used);
      if (used != key.size()) id = -1;
    } catch (const std::exception&) {
      id = -1;
    }
    if (id < 0) {
      throw Error(file.string() + ": added_tokens_decoder key '" + excerpt(key) +
                  "' is not a token id.");
    }
    added.push_back(
        parse_added_token(value, id, file.string() + ": added_tokens_decoder[\"" + key + "\"]"));
  }
  return added;
}

// The special tokens tokenizer_config.json names (bos_token, eos_token, ...,
// additional_special_tokens), each a string or an {"content": ...} object.
std::vector<std::string> read_special_token_names(const nlohmann::json& json,
                                                  const std::filesystem::path& file) {
  std::vector<std::string> names;
  const auto add = [&](const nlohmann::json& value, const std::string& where) {
    if (value.is_null()) return;
    if (value.is_string()) {
      names.push_back(value.get<std::string>());
      return;
    }
    auto content = value.is_object() ? value.find("content") : value.end();
    if (content == value.end() || !content->is_string()) {
      throw Error(file.string() + ": \"" + where + "\" must be a string or {\"content\": ...}.");
    }
    names.push_back(content->get<std::string>());
  };
  for (const char* key : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
                          "cls_token", "mask_token"}) {
    if (auto it = json.find(key); it != json.end()) add(*it, key);
  }
  if (auto extra = json.find("additional_special_tokens");
      extra != json.end() && !extra->is_null()) {
    if (!extra->is_array()) {
      throw Error(file.string() + ": \"additional_special_tokens\" must be an array.");
    }
    for (const auto& value : *extra) add(value, "additional_special_tokens");
  }
  return names;
}

}  // namespace

BpeDefinition read_vocab_and_merges(const std::filesystem::path& vocab,
                                    const std::filesystem::path& merges,
                                    const std::filesystem::path& config) {
  BpeDefinition def;
  def.source = vocab.string();
  def.merges_source = merges.string();
  def.vocab = read_vocab(vocab);
  def.merges = read_merges(merges);

  // GPT2Tokenizer makes "<|endoftext|>" its bos, eos and unk token unless
  // tokenizer_config.json says otherwise; either way it is special here.
  std::vector<std::string> special_names = {std::string(kEndOfText)};
  std::error_code ec;
  if (!config.empty() && std::filesystem::exists(config, ec)) {
    const nlohmann::json json = read_tokenizer_json_file(config);
    if (!json.is_object()) throw Error(config.string() + " must be a JSON object.");
    def.added_tokens = read_added_tokens_decoder(json, config);
    for (auto& name : read_special_token_names(json, config)) special_names.push_back(name);
    def.source += " + " + config.string();
  }
  // Named special tokens that are in the vocabulary become added tokens with
  // their vocabulary id. (HF would append names missing from the vocabulary
  // as new ids; they are ignored here, since the model has no row for them.)
  for (const std::string& name : special_names) {
    const bool listed = std::any_of(def.added_tokens.begin(), def.added_tokens.end(),
                                    [&](const AddedToken& t) { return t.content == name; });
    if (listed || name.empty()) continue;
    for (const auto& [token, id] : def.vocab) {
      if (token != name) continue;
      AddedToken special;
      special.id = static_cast<std::int32_t>(id);  // range-checked by the tokenizer
      special.content = token;
      special.special = true;
      def.added_tokens.push_back(special);
      break;
    }
  }
  return def;
}

}  // namespace beamscope
