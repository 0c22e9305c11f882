// HF TopPLogitsWarper: sort ascending, cumulative softmax, remove tokens whose
// cumulative probability is <= 1 - top_p, but never the best `min_keep`.
// Equivalently (best first): a token stays iff the mass of the tokens better
// than it is < top_p. We sum from the worst token up, in the same order as
// HF's ascending cumsum, so borderline cases round the same way.
#include <algorithm>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class TopPStage final : public SamplerStage {
 public:
  TopPStage(double top_p, int min_keep) : top_p_(top_p), min_keep_(min_keep) {}
  std::string_view name() const override { return "top_p"; }

  double apply(VocabLogits& scores, const StageContext&) const override {
    const std::vector<std::int32_t> order = scores.alive_sorted_desc();  // best first
    const std::vector<double> probs = scores.probabilities();            // [vocab]
    const double cut = 1.0 - top_p_;
    double tail = 0.0;  // ascending cumulative probability up to this token
    double kept_mass = 0.0;
    for (std::size_t i = order.size(); i-- > 0;) {
      const std::int32_t id = order[i];
      tail += probs[static_cast<std::size_t>(id)];
      if (tail <= cut && static_cast<int>(i) >= min_keep_) {
        scores.remove(id);
      } else {
        kept_mass += probs[static_cast<std::size_t>(id)];
      }
    }
    return kept_mass;
  }

 private:
  double top_p_;
  int min_keep_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_top_p_stage(double top_p, int min_keep) {
  return std::make_unique<TopPStage>(top_p, min_keep);
}

}  // namespace beamscope
