#pragma once

#include <limits>
#include <vector>

#include "decoding/token_tree.h"

namespace beamscope {

// A node's recorded distribution as the inspector draws it, one column per
// stage: column 0 holds the raw probabilities, column s + 1 what leaves stage
// s. The numbers are read off the record here, in core, so every view (the
// chart, an export) shows the same cut and the same rest of the mass.
struct DistributionColumn {
  std::vector<double> probs;  // per listed token; 0 = removed
  // The probability of every token that is not listed (1 - the listed sum,
  // never below 0; exactly 0 when the listed tokens are all that survive).
  double rest = 0.0;
  // Stages only: the stage kept the first `cut_row` listed rows and removed
  // every later one it saw (the rows are in raw order, which is the order a
  // cut sees unless a penalty reordered them). -1 when it removed no listed
  // row or the kept rows are not a prefix.
  int cut_row = -1;
  // Where cut_row >= 0: the mass of the kept rows entering the stage — for
  // top-p the point where the cumulative mass crosses p.
  double mass_at_cut = std::numeric_limits<double>::quiet_NaN();

  // The rest of the mass when only the first `rows` listed tokens are shown.
  double mass_beyond(std::size_t rows) const;
};

std::vector<DistributionColumn> distribution_columns(const NextTokenDistribution& d);

}  // namespace beamscope
