// HF NoRepeatNGramLogitsProcessor: with n = ngram_size, the last n-1 tokens of
// the history form a prefix; every token that followed the same n-1 tokens
// anywhere earlier in the history (prompt included) would complete a repeated
// n-gram and is banned (-inf).
#include <algorithm>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class NoRepeatNgramStage final : public SamplerStage {
 public:
  explicit NoRepeatNgramStage(int ngram_size) : n_(ngram_size) {}
  std::string_view name() const override { return "no_repeat_ngram"; }

  double apply(VocabLogits& scores, const StageContext& context) const override {
    const auto& h = context.history;
    const std::size_t n = static_cast<std::size_t>(n_);
    // HF: nothing to ban until cur_len + 1 >= n.
    if (n == 0 || h.size() + 1 < n) return kNoThreshold;
    const auto tail = h.subspan(h.size() - (n - 1));  // [n-1]
    for (std::size_t start = 0; start + n <= h.size(); ++start) {
      if (std::equal(tail.begin(), tail.end(), h.begin() + static_cast<std::ptrdiff_t>(start))) {
        const std::int32_t banned = h[start + n - 1];
        if (banned >= 0 && banned < scores.size()) scores.remove(banned);
      }
    }
    return kNoThreshold;
  }

 private:
  int n_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_no_repeat_ngram_stage(int ngram_size) {
  return std::make_unique<NoRepeatNgramStage>(ngram_size);
}

}  // namespace beamscope
