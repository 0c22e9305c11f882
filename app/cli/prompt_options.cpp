#include "cli/prompt_options.h"

#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace beamscope::cli {

const std::set<std::string> kPromptOptions{"prompt", "prompt-ids"};

std::vector<std::int32_t> read_prompt(const Args& args, const Tokenizer& tokenizer,
                                      std::string& text) {
  if (args.has("prompt") == args.has("prompt-ids")) {
    throw Error("Give exactly one of --prompt or --prompt-ids.");
  }
  std::vector<std::int32_t> ids;
  if (auto prompt = args.get("prompt")) {
    text = *prompt;
    ids = tokenizer.encode(text);
    if (ids.empty()) throw Error("The prompt is empty; give at least one token.");
    return ids;
  }
  for (int id : parse_int_list(args.require("prompt-ids"), "prompt-ids")) ids.push_back(id);
  for (std::int32_t id : ids) {
    if (id < 0 || id >= tokenizer.vocab_size()) {
      throw Error("Prompt token id " + std::to_string(id) +
                  " is outside the tokenizer's vocabulary of " +
                  std::to_string(tokenizer.vocab_size()) + " tokens.");
    }
  }
  text = tokenizer.decode(ids);
  return ids;
}

}  // namespace beamscope::cli
