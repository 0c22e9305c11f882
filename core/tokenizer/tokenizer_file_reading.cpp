#include <fstream>
#include <sstream>

#include "tokenizer/tokenizer_files.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

std::uintmax_t checked_tokenizer_file_size(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw Error(file.string() + " does not exist.");
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw Error(file.string() + " is not a regular file.");
  }
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw Error(file.string() + " cannot be read (" + ec.message() + ").");
  if (size > kMaxTokenizerFileBytes) {
    throw Error(file.string() + " is too large for a tokenizer file (" +
                std::to_string(size >> 20) + " MB; the limit is " +
                std::to_string(kMaxTokenizerFileBytes >> 20) + " MB).");
  }
  return size;
}

std::string read_bounded_tokenizer_file(const std::filesystem::path& file) {
  const auto size = checked_tokenizer_file_size(file);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + " cannot be opened for reading.");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) {
    throw Error(file.string() + " could not be read completely.");
  }
  return text;
}

nlohmann::json read_tokenizer_json_file(const std::filesystem::path& file) {
  return parse_json_text(read_bounded_tokenizer_file(file), file.string());
}

}  // namespace beamscope

namespace beamscope {

AddedToken parse_added_token(const nlohmann::json& object, std::int64_t id,
                             const std::string& where) {
  if (!object.is_object()) throw Error(where + " is not an object.");
  AddedToken token;
  token.id = static_cast<std::int32_t>(id);  // range-checked by the tokenizer
  if (id < 0 || id > INT32_MAX)
    throw Error(where + " has id " + std::to_string(id) + ", which is out of range.");
  auto content = object.find("content");
  if (content == object.end() || !content->is_string()) {
    throw Error(where + " has no \"content\" string.");
  }
  token.content = content->get<std::string>();
  const auto flag = [&](const char* name, bool fallback) {
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw Error(where + ": \"" + name + "\" must be true or false.");
    return it->get<bool>();
  };
  token.special = flag("special", false);
  token.single_word = flag("single_word", false);
  token.lstrip = flag("lstrip", false);
  token.rstrip = flag("rstrip", false);
  // HF: special tokens are matched in the raw text, others after normalizing.
  token.normalized = flag("normalized", !token.special);
  return token;
}

}  // namespace beamscope
