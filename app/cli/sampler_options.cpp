#include "cli/sampler_options.h"

#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace beamscope::cli {

const std::set<std::string> kPromptOptions{"prompt", "prompt-ids"};
const std::set<std::string> kSamplerOptions{
    "temperature",         "top-k",          "top-p", "min-p",
    "typical-p",           "epsilon-cutoff", "order", "repetition-penalty",
    "no-repeat-ngram-size"};

void read_sampler_options(const Args& args, DecodeParams& p) {
  p.temperature = args.get_double("temperature", p.temperature);
  p.top_k = args.get_int("top-k", p.top_k);
  p.top_p = args.get_double("top-p", p.top_p);
  p.min_p = args.get_double("min-p", p.min_p);
  p.typical_p = args.get_double("typical-p", p.typical_p);
  p.epsilon_cutoff = args.get_double("epsilon-cutoff", p.epsilon_cutoff);
  p.repetition_penalty = args.get_double("repetition-penalty", p.repetition_penalty);
  p.no_repeat_ngram_size = args.get_int("no-repeat-ngram-size", p.no_repeat_ngram_size);
  if (auto order = args.get("order")) {
    if (*order == "hf" || *order == "llamacpp") {
      p.order = *parse_order(*order);
    } else {
      // A custom order: comma-separated stage names (validated by the core).
      p.order = ChainOrder::Custom;
      p.custom_order.clear();
      std::size_t pos = 0;
      while (pos <= order->size()) {
        std::size_t comma = order->find(',', pos);
        if (comma == std::string::npos) comma = order->size();
        p.custom_order.push_back(order->substr(pos, comma - pos));
        pos = comma + 1;
      }
    }
  }
}

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
