#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "util/progress.h"

namespace beamscope {

class LanguageModel;
class Tokenizer;

struct TextScore {
  std::size_t tokens = 0;      // ids the text encodes to
  double total_logprob = 0;    // natural log, summed over every text token
  double bits_per_byte = 0;    // -total_logprob / ln 2 / bytes
  std::size_t bytes = 0;       // UTF-8 bytes of the text without the EOS markers
  std::size_t file_bytes = 0;  // bytes of the text as given
};

// Sum of log p(S[i+1] | context) for every i, where S = [first_id] + ids.
// S is cut into windows of the model's context length P: the window at s
// (s = 0, P, 2P, ...) reads S[s, s+P) from a fresh context and scores
// S[s+1, s+P+1], so each id is scored exactly once. Log-softmax and the sum
// are in double. This is the definition of
// resources/models/beamscope-mini/score_reference.py.
double sum_next_token_logprobs(LanguageModel& model, std::int32_t first_id,
                               std::span<const std::int32_t> ids, const ProgressFn& progress = {});

// What score_text counts before any model runs (the same for a local model
// and a server): `ids` = tokenizer.encode(text) without added special tokens,
// tokens, bytes (the text less every literal EOS marker) and file_bytes.
// Throws beamscope::Error if there is nothing to score.
TextScore count_text(const Tokenizer& tokenizer, std::int32_t eos_id, std::string_view text,
                     std::vector<std::int32_t>& ids);

// Scores a text the way `beamscope-cli score` reports it: ids =
// tokenizer.encode(text) (special tokens matched), first_id = EOS, and bytes
// counts the text with every literal EOS marker removed. Throws
// beamscope::Error if there is nothing to score.
TextScore score_text(LanguageModel& model, const Tokenizer& tokenizer, std::int32_t eos_id,
                     std::string_view text, const ProgressFn& progress = {});

}  // namespace beamscope
