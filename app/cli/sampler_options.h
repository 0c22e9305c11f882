#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "cli/args.h"
#include "decoding/decode_params.h"

namespace beamscope {
class Tokenizer;
}

namespace beamscope::cli {

// Options `decode` and `next` share: the prompt and the sampler stages.
extern const std::set<std::string> kPromptOptions;   // prompt, prompt-ids
extern const std::set<std::string> kSamplerOptions;  // temperature, top-k, ..., order

// --temperature --top-k --top-p --min-p --typical-p --epsilon-cutoff
// --repetition-penalty --no-repeat-ngram-size --order into `params`.
// --order takes hf, llamacpp, or a comma-separated custom stage list.
void read_sampler_options(const Args& args, DecodeParams& params);

// The prompt ids from --prompt (tokenized) or --prompt-ids; exactly one must
// be given. `text` receives the prompt text (decoded from the ids if needed).
std::vector<std::int32_t> read_prompt(const Args& args, const Tokenizer& tokenizer,
                                      std::string& text);

}  // namespace beamscope::cli
