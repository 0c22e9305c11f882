#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "cli/args.h"

namespace beamscope {
class Tokenizer;
}

namespace beamscope::cli {

// The prompt options `decode` and `next` share: --prompt and --prompt-ids.
extern const std::set<std::string> kPromptOptions;

// The prompt ids from --prompt (tokenized) or --prompt-ids; exactly one must
// be given. `text` receives the prompt text (decoded from the ids if needed).
std::vector<std::int32_t> read_prompt(const Args& args, const Tokenizer& tokenizer,
                                      std::string& text);

}  // namespace beamscope::cli
