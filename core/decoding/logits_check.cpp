#include "decoding/logits_check.h"

#include <cmath>
#include <string>

#include "util/error.h"

namespace beamscope {

void require_finite_logits(std::span<const float> logits, std::size_t prefix_length) {
  for (float x : logits) {
    if (!std::isfinite(x)) {
      throw Error("The model produced a non-finite logit after a prefix of " +
                  std::to_string(prefix_length) + " tokens; its weights may be corrupt.");
    }
  }
}

}  // namespace beamscope
