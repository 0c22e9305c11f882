#include "model/text_score.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "model/language_model.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"
#include "util/log_sum_exp.h"

namespace beamscope {

namespace {

// Rows per forward pass: bounds the logits buffer (rows x vocab floats) for
// big vocabularies while still giving the GEMMs enough rows to be efficient.
constexpr std::size_t kRowsPerPass = 64;

// log softmax(row)[target], in double.
double log_prob_of(std::span<const float> row, std::int32_t target) {
  return static_cast<double>(row[static_cast<std::size_t>(target)]) - log_sum_exp(row);
}

}  // namespace

double sum_next_token_logprobs(LanguageModel& model, std::int32_t first_id,
                               std::span<const std::int32_t> ids, const ProgressFn& progress) {
  const std::size_t P = static_cast<std::size_t>(model.info().context_length);
  const std::size_t V = static_cast<std::size_t>(model.info().vocab_size);
  std::vector<std::int32_t> sequence;  // S = [first_id] + ids
  sequence.reserve(ids.size() + 1);
  sequence.push_back(first_id);
  sequence.insert(sequence.end(), ids.begin(), ids.end());
  const std::span<const std::int32_t> S(sequence);

  std::vector<float> logits(std::min(kRowsPerPass, P) * V);
  double total = 0;
  for (std::size_t start = 0; start + 1 < S.size(); start += P) {
    const std::size_t n = std::min(P, S.size() - 1 - start);  // tokens read = tokens scored
    auto cache = model.new_cache();
    for (std::size_t done = 0; done < n; done += kRowsPerPass) {
      const std::size_t rows = std::min(kRowsPerPass, n - done);
      const std::size_t at = start + done;
      model.prefill_all_logits(*cache, S.subspan(at, rows), std::span(logits).first(rows * V));
      for (std::size_t r = 0; r < rows; ++r) {
        total += log_prob_of(std::span<const float>(logits).subspan(r * V, V), S[at + r + 1]);
      }
    }
    if (progress && !progress(static_cast<double>(start + n) / (S.size() - 1), "Scoring")) {
      throw Cancelled();
    }
  }
  return total;
}

TextScore count_text(const Tokenizer& tokenizer, std::int32_t eos_id, std::string_view text,
                     std::vector<std::int32_t>& ids) {
  TextScore score;
  // No BOS/EOS added: the scored sequence is [EOS] + the text's own tokens.
  ids = tokenizer.encode(text, /*add_special_tokens=*/false);
  const std::string marker = tokenizer.token_bytes(eos_id);
  std::size_t markers = 0;
  if (!marker.empty()) {
    for (auto at = text.find(marker); at != std::string_view::npos;
         at = text.find(marker, at + marker.size())) {
      ++markers;
    }
  }
  score.file_bytes = text.size();
  score.bytes = text.size() - markers * marker.size();
  score.tokens = ids.size();
  if (ids.empty() || score.bytes == 0) {
    throw Error("The text has no bytes to score (it is empty or only end-of-text markers).");
  }
  return score;
}

TextScore score_text(LanguageModel& model, const Tokenizer& tokenizer, std::int32_t eos_id,
                     std::string_view text, const ProgressFn& progress) {
  std::vector<std::int32_t> ids;
  TextScore score = count_text(tokenizer, eos_id, text, ids);
  score.total_logprob = sum_next_token_logprobs(model, eos_id, ids, progress);
  score.bits_per_byte = -score.total_logprob / std::log(2.0) / static_cast<double>(score.bytes);
  return score;
}

}  // namespace beamscope
