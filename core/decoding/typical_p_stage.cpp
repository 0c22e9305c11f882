// HF TypicalLogitsWarper: with log-probs l and entropy H = -sum(p*l), tokens
// are ordered by |-l - H| (closest to the expected surprise first); the
// smallest prefix of that order whose probability reaches `mass` is kept
// (every token with a surprise distance <= that of the last one, so ties stay),
// and always the first `min_keep` of the order. Removed tokens take no part,
// as HF's nansum and +inf distances make them.
#include <algorithm>
#include <cmath>

#include "decoding/sampler_stages.h"

namespace beamscope {
namespace {

class TypicalPStage final : public SamplerStage {
 public:
  TypicalPStage(double mass, int min_keep) : mass_(mass), min_keep_(min_keep) {}
  std::string_view name() const override { return "typical_p"; }

  double apply(VocabLogits& scores, const StageContext&) const override {
    std::vector<std::int32_t> order = scores.alive_sorted_desc();
    if (order.empty()) return kNoThreshold;
    const double lse = scores.log_sum_exp();
    double entropy = 0.0;
    for (std::int32_t id : order) {
      const double l = scores[id] - lse;
      entropy -= std::exp(l) * l;
    }
    std::vector<double> distance(static_cast<std::size_t>(scores.size()), 0.0);  // [vocab]
    for (std::int32_t id : order) {
      distance[static_cast<std::size_t>(id)] = std::abs(-(scores[id] - lse) - entropy);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      return distance[static_cast<std::size_t>(a)] < distance[static_cast<std::size_t>(b)];
    });
    // last = number of tokens whose cumulative probability is still < mass.
    std::size_t last = 0;
    double cumulative = 0.0;
    for (std::int32_t id : order) {
      cumulative += std::exp(scores[id] - lse);
      if (cumulative < mass_) ++last;
    }
    last = std::min(last, order.size() - 1);
    const double limit = distance[static_cast<std::size_t>(order[last])];
    double kept_mass = 0.0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::int32_t id = order[i];
      const double p = std::exp(scores[id] - lse);
      if (distance[static_cast<std::size_t>(id)] > limit && static_cast<int>(i) >= min_keep_) {
        scores.remove(id);
      } else {
        kept_mass += p;
      }
    }
    return kept_mass;
  }

 private:
  double mass_;
  int min_keep_;
};

}  // namespace

std::unique_ptr<SamplerStage> make_typical_p_stage(double mass, int min_keep) {
  return std::make_unique<TypicalPStage>(mass, min_keep);
}

}  // namespace beamscope
