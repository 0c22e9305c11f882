#pragma once

// What the remote-engine tests share: a beam search setting, one decode on
// a loaded model, and the comparison of a remote tree with the local one
// (tokens, parents, status, sequences; log-probs and scores within `tol`).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "decoding/decoder.h"
#include "decoding/logits_cache.h"
#include "model/model_folder.h"

namespace beamscope::remote {

inline DecodeParams remote_beam(int beams, int max_new_tokens = 6) {
  DecodeParams p;
  p.strategy = StrategyKind::Beam;
  p.num_beams = beams;
  p.num_return_sequences = beams;
  p.max_new_tokens = max_new_tokens;
  p.alternatives = 3;
  return p;
}

inline TokenTree decode_tree(LoadedModel& m, const std::vector<std::int32_t>& prompt,
                             const DecodeParams& p) {
  LogitsCache cache;
  Decoder decoder(*m.model, *m.tokenizer, m.info.eos_ids, cache);
  return decoder.run(prompt, p).tree;
}

// Returns the largest log-prob difference seen.
inline double expect_same_tree(const TokenTree& local, const TokenTree& remote, double tol) {
  double largest = 0;
  EXPECT_EQ(local.size(), remote.size());
  for (int i = 0; i < std::min(local.size(), remote.size()); ++i) {
    EXPECT_EQ(local.node(i).token_id, remote.node(i).token_id) << i;
    EXPECT_EQ(local.node(i).parent, remote.node(i).parent) << i;
    EXPECT_EQ(local.node(i).status, remote.node(i).status) << i;
    EXPECT_NEAR(local.node(i).logprob, remote.node(i).logprob, tol) << i;
    largest = std::max(largest, std::abs(local.node(i).logprob - remote.node(i).logprob));
  }
  EXPECT_EQ(local.sequences.size(), remote.sequences.size());
  for (std::size_t i = 0; i < std::min(local.sequences.size(), remote.sequences.size()); ++i) {
    EXPECT_EQ(local.sequences[i].token_ids, remote.sequences[i].token_ids) << i;
    EXPECT_NEAR(local.sequences[i].score, remote.sequences[i].score, tol) << i;
    EXPECT_EQ(local.sequences[i].count, remote.sequences[i].count) << i;
  }
  return largest;
}

}  // namespace beamscope::remote
