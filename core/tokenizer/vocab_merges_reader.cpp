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

std::vector<AddedToken> read_added_tokens_decoder(const std::filesystem::path& file) {
  const nlohmann::json json = read_tokenizer_json_file(file);
  if (!json.is_object()) throw Error(file.string() + " must be a JSON object.");
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

}  // namespace

BpeDefinition read_vocab_and_merges(const std::filesystem::path& vocab,
                                    const std::filesystem::path& merges,
                                    const std::filesystem::path& config) {
  BpeDefinition def;
  def.source = vocab.string();
  def.merges_source = merges.string();
  def.vocab = read_vocab(vocab);
  def.merges = read_merges(merges);
  std::error_code ec;
  if (!config.empty() && std::filesystem::exists(config, ec)) {
    def.added_tokens = read_added_tokens_decoder(config);
    def.source += " + " + config.string();
  } else {
    for (const auto& [token, id] : def.vocab) {
      if (token == kEndOfText) {
        AddedToken eot;
        eot.id = static_cast<std::int32_t>(id);  // range-checked by the tokenizer
        eot.content = token;
        eot.special = true;
        def.added_tokens.push_back(eot);
      }
    }
  }
  return def;
}

}  // namespace beamscope
