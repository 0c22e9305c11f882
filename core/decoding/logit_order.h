#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace beamscope {

// Token ids by logit, best first, ties to the lower id (-0 counts as +0).
struct LogitOrder {
  std::vector<std::int32_t> ids;  // all ids, or a prefix of that whole order
  bool complete = true;           // ids holds every id
};

// The best `at_least` ids or more, in order. A tree node needs its listed
// alternatives, a beam's candidates and the head of the distribution that a
// top-p cut reaches, all near the top: ordering the whole vocabulary per
// cached prefix (262,144 ids for Gemma 3) cost more than a small model's decode
// step, so only a prefix is ordered unless it would be most of the vocabulary.
// The prefix is exact: every id outside it has a lower logit, or an equal
// logit and a higher id, than every id in it.
LogitOrder order_by_logit(std::span<const float> logits, std::size_t at_least);

}  // namespace beamscope
