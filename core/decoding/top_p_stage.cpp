// HF TopPLogitsWarper: sort ascending, cumulative softmax, remove tokens whose
// cumulative probability is <= 1 - top_p, but never the best `min_keep`.
// Equivalently (best first): a token stays iff the mass of the tokens better
// than it is < top_p. Only the head of the distribution is sorted: the tokens
// below it are all removed once their whole mass is <= 1 - top_p (each one's
// ascending cumulative probability is at most that), and from that mass the
// head is summed from its worst token up, as HF's ascending cumsum does. (The
// mass below the head is 1 less the head's mass, not a token-by-token sum in
// ascending order: it can round differently in the last bits, as these double
// sums always differed from HF's float32 cumsum.)
#include <algorithm>
#include <cmath>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

// Where the head starts: top-p 0.9 at temperature 0.7 over 262,144 normal
// logits of σ 3 keeps ≈ 820 tokens; a flatter distribution takes more rounds.
constexpr std::size_t kFirstHead = 1024;

class TopPStage final : public SamplerStage {
 public:
  TopPStage(double top_p, int min_keep) : top_p_(top_p), min_keep_(min_keep) {}
  std::string_view name() const override { return "top_p"; }

  double apply(VocabLogits& scores, const StageContext& context) const override {
    const double lse = input_log_sum_exp(scores, context);
    if (lse == kRemoved) return 0.0;
    const double cut = 1.0 - top_p_;
    std::vector<std::int32_t> head;
    std::vector<double> probs;  // of the head's tokens, each computed once
    double below = 0.0;         // probability of the survivors below the head
    for (std::size_t size = std::max(kFirstHead, static_cast<std::size_t>(min_keep_));; size *= 4) {
      head = scores.best_alive(size);
      const double head_mass = probabilities(scores, head, lse, probs);
      // All survivors' probabilities sum to 1 (to within rounding, ~1e-15, as
      // a sum over the whole vocabulary in any order is), less the head's.
      below = head.size() < size ? 0.0 : std::max(0.0, 1.0 - head_mass);
      if (below <= cut) break;  // else some token below the head may stay
    }

    double tail = below;  // ascending cumulative probability up to this token
    double kept_mass = 0.0;
    std::vector<std::pair<std::int32_t, double>> kept;
    for (std::size_t i = head.size(); i-- > 0;) {
      const std::int32_t id = head[i];
      const double p = probs[i];
      tail += p;
      if (tail > cut || static_cast<int>(i) < min_keep_) {
        kept_mass += p;
        kept.emplace_back(id, scores[id]);
      }
    }
    // Everything else goes: the head's removed tokens and all below it.
    scores.keep_only(kept);
    return kept_mass;
  }

 private:
  // probs[i] = the probability of head[i]; returns their sum, best first.
  static double probabilities(const VocabLogits& scores, const std::vector<std::int32_t>& head,
                              double lse, std::vector<double>& probs) {
    probs.resize(head.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < head.size(); ++i) {
      probs[i] = std::exp(scores[head[i]] - lse);
      sum += probs[i];
    }
    return sum;
  }

  double top_p_;
  int min_keep_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_top_p_stage(double top_p, int min_keep) {
  return std::make_unique<TopPStage>(top_p, min_keep);
}

}  // namespace beamscope
