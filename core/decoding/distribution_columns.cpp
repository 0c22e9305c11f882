#include "decoding/distribution_columns.h"

#include <algorithm>
#include <cmath>

namespace beamscope {
namespace {
double rest_of(const std::vector<double>& probs, int kept_total) {
  double listed = 0.0;
  int listed_kept = 0;
  for (double p : probs) {
    listed += p;
    listed_kept += p > 0.0 ? 1 : 0;
  }
  // Every survivor is listed: the rest is nothing, not float rounding.
  if (kept_total > 0 && listed_kept >= kept_total) return 0.0;
  return std::clamp(1.0 - listed, 0.0, 1.0);
}
}  // namespace

double DistributionColumn::mass_beyond(std::size_t rows) const {
  double mass = rest;
  for (std::size_t r = rows; r < probs.size(); ++r) mass += probs[r];
  return mass;
}

std::vector<DistributionColumn> distribution_columns(const NextTokenDistribution& d) {
  const std::size_t rows = d.token_ids.size();
  std::vector<DistributionColumn> columns(1 + d.stages.size());
  DistributionColumn& raw = columns[0];
  for (std::size_t r = 0; r < rows; ++r) {
    raw.probs.push_back(r < d.logprobs.size() ? std::exp(double(d.logprobs[r])) : 0.0);
  }
  raw.rest = rest_of(raw.probs, 0);
  for (std::size_t s = 0; s < d.stages.size(); ++s) {
    const StageCut& cut = d.stages[s];
    const DistributionColumn& in = columns[s];
    DistributionColumn& out = columns[s + 1];
    for (std::size_t r = 0; r < rows; ++r) {
      out.probs.push_back(r < cut.probs.size() ? double(cut.probs[r]) : 0.0);
    }
    out.rest = rest_of(out.probs, cut.kept_total);
    // The rows this stage saw (alive on entry): kept ones first, then only
    // removed ones, and at least one removed.
    int kept_prefix = 0;
    bool prefix = true;
    bool removed_any = false;
    double mass = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
      if (in.probs[r] <= 0.0) continue;  // an earlier stage removed it
      if (out.probs[r] > 0.0) {
        if (removed_any) prefix = false;
        kept_prefix = int(r) + 1;
        mass += in.probs[r];
      } else {
        removed_any = true;
      }
    }
    if (removed_any && prefix) {
      out.cut_row = kept_prefix;
      out.mass_at_cut = mass;
    }
  }
  return columns;
}

}  // namespace beamscope
