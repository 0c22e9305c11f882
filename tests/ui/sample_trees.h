#pragma once
// Hand-built token trees for the UI tests: they exercise every node status,
// sampling counts, a forced node and next-token distributions with stage cuts,
// without needing a model.
#include <cmath>
#include <random>
#include <string>

#include "decoding/token_tree.h"

namespace beamscope::test {

inline void set_next(TokenTree& tree, int id, std::vector<std::pair<std::string, double>> cands,
                     double min_p) {
  NextTokenDistribution d;
  double p_max = 0;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    d.token_ids.push_back(static_cast<std::int32_t>(1000 + i));
    d.texts.push_back(cands[i].first);
    d.logprobs.push_back(static_cast<float>(std::log(cands[i].second)));
    p_max = std::max(p_max, cands[i].second);
  }
  StageCut temperature{"temperature", {}, std::nan(""), 50000};
  for (auto& c : cands) temperature.probs.push_back(static_cast<float>(c.second));
  StageCut top_k{"top_k", {}, std::nan(""), 3};
  double kept = 0;
  for (std::size_t i = 0; i < cands.size(); ++i) kept += i < 3 ? cands[i].second : 0;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    top_k.probs.push_back(i < 3 ? static_cast<float>(cands[i].second / kept) : 0.f);
  }
  StageCut mp{"min_p", {}, min_p * 1.0, 0};
  double kept2 = 0;
  const float top = *std::max_element(top_k.probs.begin(), top_k.probs.end());
  for (float p : top_k.probs) kept2 += p >= min_p * top ? p : 0;
  for (float p : top_k.probs)
    mp.probs.push_back(p >= min_p * top ? static_cast<float>(p / kept2) : 0.f);
  mp.threshold = min_p * top;
  d.stages = {temperature, top_k, mp};
  tree.node(id).next = d;
}

// A small beam-search-like tree (num_beams 2, three steps) with every status.
inline TokenTree beam_tree() {
  TokenTree t;
  const int mat = t.add_child(0, 2603, " mat", std::log(0.42));
  const int floor = t.add_child(0, 4314, " floor", std::log(0.21));
  const int bed = t.add_child(0, 3996, " bed", std::log(0.08));
  t.node(mat).status = NodeStatus::Selected;
  t.node(floor).status = NodeStatus::Selected;
  t.node(bed).status = NodeStatus::Pruned;
  t.node(bed).reason =
      NodeReason{.code = ReasonCode::BeamPruned, .pool_rank = 3, .pool_size = 4, .num_beams = 2};
  set_next(t, 0, {{" mat", 0.42}, {" floor", 0.21}, {" bed", 0.08}, {" couch", 0.05}, {"\n", 0.03}},
           0.1);
  const int dot = t.add_child(mat, 13, ".", std::log(0.61));
  const int comma = t.add_child(mat, 11, ",", std::log(0.17));
  const int and_ = t.add_child(floor, 290, " and", std::log(0.30));
  const int nl = t.add_child(floor, 198, "\n", std::log(0.12));
  t.node(dot).status = NodeStatus::Selected;
  t.node(comma).status = NodeStatus::Pruned;
  t.node(and_).status = NodeStatus::Selected;
  t.node(nl).status = NodeStatus::Alternative;
  set_next(t, mat, {{".", 0.61}, {",", 0.17}, {" and", 0.06}, {" with", 0.04}}, 0.1);
  const int eos = t.add_child(dot, 50256, "<|endoftext|>", std::log(0.7));
  const int the = t.add_child(and_, 262, " the", std::log(0.4));
  const int split = t.add_child(and_, 447, "\xE2\x80", std::log(0.01));  // half a '—'
  t.node(eos).status = NodeStatus::Returned;
  t.node(the).status = NodeStatus::Finished;
  t.node(split).status = NodeStatus::Alternative;
  t.node(split).forced = true;
  t.node(split).count = 3;
  ReturnedSequence seq;
  seq.node = eos;
  seq.token_ids = {2603, 13, 50256};
  seq.text = " mat.<|endoftext|>";
  seq.score = (std::log(0.42) + std::log(0.61) + std::log(0.7)) / 3;
  seq.cum_logprob = std::log(0.42) + std::log(0.61) + std::log(0.7);
  t.sequences.push_back(seq);
  return t;
}

// A big random tree (e.g. 20k nodes) with mixed statuses, for performance.
inline TokenTree big_tree(int n, unsigned seed) {
  TokenTree tree;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.01, 0.9);
  for (int i = 1; i < n; ++i) {
    const int lo = std::max(0, tree.size() - 60);
    std::uniform_int_distribution<int> pick(lo, tree.size() - 1);
    const int id = tree.add_child(pick(rng), i, " tok" + std::to_string(i % 97), std::log(u(rng)));
    tree.node(id).status = static_cast<NodeStatus>(1 + i % 5);
  }
  return tree;
}

}  // namespace beamscope::test
