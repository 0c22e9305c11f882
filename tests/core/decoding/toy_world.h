#pragma once

// The hand-made five-token world most decoding tests use. Token 0 is EOS.
// Each table row is the next-token distribution after a prefix; the comments
// in the tests work out beams and scores from these numbers.

#include <memory>

#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "toy_model.h"

namespace beamscope::test {

inline constexpr std::int32_t kEos = 0;

struct ToyWorld {
  ToyModel model{5, {0.1, 0.2, 0.3, 0.25, 0.15}};  // fallback for prefixes not below
  ToyTokenizer tokenizer{{"<eos>", " A", " B", " C", " D"}};
  LogitsCache cache;
  Decoder decoder{model, tokenizer, {kEos}, cache};
  std::vector<std::int32_t> prompt{1};

  ToyWorld() {
    //                      eos    A     B     C     D
    model.set({1}, {0.06, 0.04, 0.50, 0.30, 0.10});
    model.set({1, 2}, {0.40, 0.05, 0.05, 0.20, 0.30});
    model.set({1, 3}, {0.10, 0.10, 0.10, 0.10, 0.60});
    model.set({1, 3, 4}, {0.70, 0.12, 0.08, 0.05, 0.05});
    model.set({1, 2, 4}, {0.20, 0.50, 0.10, 0.10, 0.10});
    model.set({1, 2, 4, 1}, {0.90, 0.04, 0.03, 0.02, 0.01});
    model.set({1, 3, 4, 1}, {0.30, 0.25, 0.20, 0.15, 0.10});
  }
};

inline DecodeParams beam_params(int num_beams, double length_penalty, EarlyStopping early,
                                int max_new = 4) {
  DecodeParams p;
  p.strategy = StrategyKind::Beam;
  p.num_beams = num_beams;
  p.num_return_sequences = num_beams;
  p.length_penalty = length_penalty;
  p.early_stopping = early;
  p.max_new_tokens = max_new;
  return p;
}

}  // namespace beamscope::test
