#include "decoding/logits_check.h"

#include <cmath>
#include <limits>
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

void require_top_n_logprobs(std::span<const float> logprobs, std::size_t prefix_length) {
  // Servers print log-probs rounded (llama.cpp: probabilities to a few
  // digits), so a sum a little over 1 is their rounding, not a bad answer.
  constexpr double kRounding = 1e-3;
  int listed = 0;
  double mass = 0.0;
  for (float x : logprobs) {
    if (x == -std::numeric_limits<float>::infinity()) continue;
    if (!std::isfinite(x) || x > kRounding) {
      throw Error(
          "The server answered a log-probability that is not a number <= 0 after a prefix "
          "of " +
          std::to_string(prefix_length) + " tokens.");
    }
    ++listed;
    mass += std::exp(static_cast<double>(x));
  }
  if (listed == 0) {
    throw Error("The server listed no next token after a prefix of " +
                std::to_string(prefix_length) + " tokens.");
  }
  if (mass > 1.0 + kRounding) {
    throw Error("The server's top log-probabilities after a prefix of " +
                std::to_string(prefix_length) + " tokens add up to more than 1.");
  }
}

}  // namespace beamscope
