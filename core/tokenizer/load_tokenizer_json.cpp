#include "tokenizer/load_tokenizer_json.h"

#include <tuple>

#include "model/mapped_file.h"
#include "tokenizer/bpe_json_bulk.h"
#include "tokenizer/hf_tokenizer.h"
#include "tokenizer/json_scanner.h"
#include "tokenizer/tokenizer_files.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace {

using nlohmann::json;

std::vector<AddedToken> read_added_tokens(const json& root, const std::string& file) {
  std::vector<AddedToken> tokens;
  auto added = root.find("added_tokens");
  if (added == root.end() || added->is_null()) return tokens;
  if (!added->is_array()) throw Error(file + ": \"added_tokens\" must be an array.");
  for (std::size_t i = 0; i < added->size(); ++i) {
    const json& token = (*added)[i];
    const std::string where = file + ": added_tokens[" + std::to_string(i) + "]";
    auto id = token.is_object() ? token.find("id") : token.end();
    if (!token.is_object() || id == token.end()) throw Error(where + " needs an integer \"id\".");
    tokens.push_back(parse_added_token(token, hf::token_id_value(*id, where + ".id"), where));
  }
  return tokens;
}

// A token named in tokenizer_config.json: a string or {"content": ...}.
std::optional<std::string> config_token(const json& config, const char* name) {
  auto it = config.find(name);
  if (it == config.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    auto content = it->find("content");
    if (content != it->end() && content->is_string()) return content->get<std::string>();
  }
  return std::nullopt;
}

// Llama 2 style folders whose tokenizer.json has no post-processor say in
// tokenizer_config.json whether encode adds BOS / EOS.
std::unique_ptr<hf::PostProcessor> post_processor_from_config(const json& config,
                                                              const HfTokenizer::Parts& parts,
                                                              const std::string& config_file) {
  const auto id_of = [&](const std::string& content) -> std::optional<std::int32_t> {
    for (const AddedToken& t : parts.added_tokens) {
      if (t.content == content) return t.id;
    }
    return parts.model->vocabulary().find(content);
  };
  std::vector<std::int32_t> before, after;
  for (const auto& [flag, name, side] : {std::tuple{"add_bos_token", "bos_token", &before},
                                         std::tuple{"add_eos_token", "eos_token", &after}}) {
    if (!hf::bool_member(config, flag, false, config_file)) continue;
    const auto content = config_token(config, name);
    const auto id = content ? id_of(*content) : std::nullopt;
    if (!id) {
      throw Error(config_file + " sets " + flag + " but its " + name +
                  " is missing or not a token.");
    }
    side->push_back(*id);
  }
  if (before.empty() && after.empty()) return nullptr;
  return hf::make_surrounding_processor(std::move(before), std::move(after));
}

// The file mapped, its BPE vocabulary and merges read by the scanner into
// `bulk` and only the rest by the DOM parser: a DOM parse of all of Gemma 3's
// 33 MB was most of its load.
json parse_tokenizer_json(const std::filesystem::path& path, hf::BpeBulkParts& bulk) {
  checked_tokenizer_file_size(path);
  const MappedFile mapped(path);
  const std::string_view text(reinterpret_cast<const char*>(mapped.bytes().data()),
                              mapped.bytes().size());
  if (!hf::read_bpe_bulk_parts(text, bulk)) return parse_json_text(text, path.string());
  return parse_json_text(replace_json_values(text, bulk.ranges), path.string());
}

// tokenizer_config.json without "added_tokens_decoder" (nothing here reads
// it, and for Gemma 3 it is a megabyte).
json parse_tokenizer_config(const std::filesystem::path& path) {
  const std::string text = read_bounded_tokenizer_file(path);
  if (auto range = top_level_member(text, "added_tokens_decoder", "{}")) {
    return parse_json_text(replace_json_values(text, {*range}), path.string());
  }
  return parse_json_text(text, path.string());
}

}  // namespace

std::unique_ptr<Tokenizer> load_tokenizer_json(const std::filesystem::path& path) {
  const std::string file = path.string();
  hf::BpeBulkParts bulk;
  const json root = parse_tokenizer_json(path, bulk);
  const bool has_bulk = bulk.has_vocab;
  if (!root.is_object()) throw Error(file + " must be a JSON object.");
  json config = json::object();
  const auto config_path = path.parent_path() / "tokenizer_config.json";
  std::error_code ec;
  if (std::filesystem::exists(config_path, ec)) {
    config = parse_tokenizer_config(config_path);
    if (!config.is_object()) throw Error(config_path.string() + " must be a JSON object.");
  }

  HfTokenizer::Parts parts;
  parts.source = file;
  const auto part = [&](const char* name) -> const json* {
    auto it = root.find(name);
    return it == root.end() || it->is_null() ? nullptr : &*it;
  };
  const std::string at = file + ": ";
  if (!part("model")) throw Error(file + " has no \"model\" object.");
  parts.model = hf::read_token_model(*part("model"), at + "model", has_bulk ? &bulk : nullptr);
  bulk = hf::BpeBulkParts{};
  if (auto* p = part("normalizer")) parts.normalizer = hf::read_normalizer(*p, at + "normalizer");
  if (auto* p = part("pre_tokenizer")) {
    parts.pre_tokenizer = hf::read_pre_tokenizer(*p, at + "pre_tokenizer");
  }
  if (auto* p = part("decoder")) parts.decoder = hf::read_decoder(*p, at + "decoder");
  parts.added_tokens = read_added_tokens(root, file);
  if (auto* p = part("post_processor")) {
    parts.post_processor = hf::read_post_processor(*p, at + "post_processor");
  } else {
    parts.post_processor = post_processor_from_config(config, parts, config_path.string());
  }
  parts.clean_up_spaces =
      hf::bool_member(config, "clean_up_tokenization_spaces", false, config_path.string());
  return std::make_unique<HfTokenizer>(std::move(parts));
}

}  // namespace beamscope
