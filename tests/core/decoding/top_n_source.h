#pragma once

// A dense random language model and the same model seen through a server
// that returns only its top N log-probs per step (every other entry -inf),
// for checking the decoder on top-N distributions against the dense result.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "toy_model.h"
#include "util/log_sum_exp.h"

namespace beamscope::test {

// Logits from a hash of the prefix: the same prefix always gives the same
// numbers; token 0 (EOS) grows likelier with length, so beams finish.
class RandomDenseModel : public LanguageModel {
 public:
  explicit RandomDenseModel(int vocab) {
    info_.architecture = "random";
    info_.path = "random";
    info_.vocab_size = vocab;
    info_.context_length = 64;
  }
  const ModelInfo& info() const override { return info_; }
  std::unique_ptr<KvCache> new_cache() const override { return std::make_unique<ToyKvCache>(); }
  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override {
    auto& toy = dynamic_cast<ToyKvCache&>(cache);
    toy.tokens.insert(toy.tokens.end(), tokens.begin(), tokens.end());
    write(toy.tokens, logits);
  }
  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override {
    const std::size_t v = static_cast<std::size_t>(info_.vocab_size);
    for (std::size_t i = 0; i < caches.size(); ++i) {
      auto& toy = dynamic_cast<ToyKvCache&>(*caches[i]);
      toy.tokens.push_back(tokens[i]);
      write(toy.tokens, logits.subspan(i * v, v));
    }
  }

 protected:
  virtual void write(const std::vector<std::int32_t>& prefix, std::span<float> out) const {
    std::uint64_t h = 1469598103934665603ull;
    for (std::int32_t t : prefix) h = (h ^ static_cast<std::uint64_t>(t + 1)) * 1099511628211ull;
    for (std::size_t i = 0; i < out.size(); ++i) {
      h = h * 6364136223846793005ull + 1442695040888963407ull;
      out[i] = 3.0f * static_cast<float>(static_cast<double>(h >> 11) * 0x1.0p-53);
    }
    out[0] += 0.6f * static_cast<float>(prefix.size());
  }
  ModelInfo info_;
};

// The same model answering as a server does: top N log-probs, -inf elsewhere.
class TopNModel final : public RandomDenseModel {
 public:
  TopNModel(int vocab, int n) : RandomDenseModel(vocab), n_(n) { info_.top_logprobs = n; }

 private:
  void write(const std::vector<std::int32_t>& prefix, std::span<float> out) const override {
    RandomDenseModel::write(prefix, out);
    const double lse = log_sum_exp(std::span<const float>(out));
    std::vector<std::int32_t> ids(out.size());
    std::iota(ids.begin(), ids.end(), 0);
    std::stable_sort(ids.begin(), ids.end(), [&](std::int32_t a, std::int32_t b) {
      return out[static_cast<std::size_t>(a)] > out[static_cast<std::size_t>(b)];
    });
    std::vector<float> top(out.size(), -std::numeric_limits<float>::infinity());
    for (int i = 0; i < n_; ++i) {
      const auto id = static_cast<std::size_t>(ids[static_cast<std::size_t>(i)]);
      top[id] = static_cast<float>(out[id] - lse);
    }
    std::copy(top.begin(), top.end(), out.begin());
  }
  int n_;
};

inline std::vector<std::string> numbered_pieces(int vocab) {
  std::vector<std::string> pieces;
  for (int i = 0; i < vocab; ++i) pieces.push_back(i == 0 ? "<eos>" : " t" + std::to_string(i));
  return pieces;
}

}  // namespace beamscope::test
