// beamscope-cli tokenize: the ids and vocabulary tokens a model's tokenizer
// gives a text, as Hugging Face's tokenizer.encode(text) and
// convert_ids_to_tokens(ids) would (special tokens added as HF adds them by
// default; --no-special-tokens as add_special_tokens=False).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/command.h"
#include "model/model_folder.h"
#include "tokenizer/load_tokenizer.h"
#include "tokenizer/utf8.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace beamscope::cli {
namespace {

// The core encodes any bytes, but HF (which users compare against) takes
// only UTF-8 text, so the CLI says where the input stops being UTF-8.
void require_utf8(const std::string& text, const std::string& what) {
  if (auto offset = utf8::first_invalid_byte(text)) {
    throw Error(what + " is not valid UTF-8 (the first bad byte is at offset " +
                std::to_string(*offset) + ").");
  }
}

int run_tokenize(const std::vector<std::string>& argv) {
  const Args args(argv, {"model", "tokenizer", "text", "text-file", "no-special-tokens"},
                  {"no-special-tokens"});
  if (args.has("model") && args.has("tokenizer")) {
    throw Error("Give at most one of --model or --tokenizer.");
  }
  if (args.has("text") == args.has("text-file")) {
    throw Error("Give exactly one of --text or --text-file.");
  }
  std::string text;
  if (auto inline_text = args.get("text")) {
    text = *inline_text;
    require_utf8(text, "The --text value");
  } else {
    const std::filesystem::path file = args.require("text-file");
    text = read_file(file);
    require_utf8(text, "The text file " + file.string());
  }
  // Only the tokenizer is loaded: no weights are needed to tokenize.
  // A GGUF model carries its tokenizer inside the file.
  const std::filesystem::path model = args.get_or("model", bundled_model_dir().string());
  const auto tokenizer = args.has("tokenizer")          ? load_tokenizer(args.require("tokenizer"))
                         : model.extension() == ".gguf" ? load_tokenizer(model)
                                                        : load_tokenizer_folder(model);

  const std::vector<std::int32_t> ids =
      tokenizer->encode(text, !args.get_bool("no-special-tokens", false));
  nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
  nlohmann::ordered_json texts = nlohmann::ordered_json::array();
  for (std::int32_t id : ids) {
    tokens.push_back(tokenizer->token_string(id));
    texts.push_back(display_bytes(tokenizer->token_bytes(id)));
  }
  // ordered_json keeps the contract's field order: ids, tokens, texts.
  const nlohmann::ordered_json out = {{"ids", ids}, {"tokens", tokens}, {"texts", texts}};
  std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}

[[maybe_unused]] const bool registered = register_command(
    {"tokenize", "token ids and tokens of a text",
     "[--model DIR | --tokenizer PATH] (--text T | --text-file F) [--no-special-tokens]\n"
     "  Prints {\"ids\": [...], \"tokens\": [...], \"texts\": [...]}: the ids as HF's\n"
     "  tokenizer.encode(text) (with the special tokens it adds by default, such as\n"
     "  Llama's BOS; --no-special-tokens leaves them out; \"<|endoftext|>\" written in\n"
     "  the text is the special token), the tokens as the vocabulary spells them (\"Ġis\"),\n"
     "  and each token's text with bytes of split characters shown as <0xF0>.\n"
     "  The text must be UTF-8. --model defaults to the bundled model; --tokenizer\n"
     "  reads a tokenizer alone: a tokenizer.json, a SentencePiece .model, a llama2.c\n"
     "  tokenizer.bin, a GGUF file, or a folder (a .gguf --model brings its own).",
     &run_tokenize});

}  // namespace
}  // namespace beamscope::cli
