#pragma once

// A table-driven language model and tokenizer for decoding tests: the
// next-token distribution of each prefix is written down by hand, so every
// expected beam, score and cut can be worked out on paper. No weights, no
// tokenizer files.

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/kv_cache.h"
#include "model/language_model.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace beamscope::test {

// The "KV cache" of the toy model is just the tokens it has been fed.
class ToyKvCache final : public KvCache {
 public:
  std::vector<std::int32_t> tokens;
  int length() const override { return static_cast<int>(tokens.size()); }
  std::unique_ptr<KvCache> clone() const override { return std::make_unique<ToyKvCache>(*this); }
  void truncate(int n) override { tokens.resize(static_cast<std::size_t>(n)); }
  std::size_t bytes() const override { return tokens.size() * sizeof(std::int32_t); }
};

class ToyModel final : public LanguageModel {
 public:
  // `fallback` is the distribution of every prefix not in the table.
  ToyModel(int vocab, std::vector<double> fallback) : fallback_(std::move(fallback)) {
    info_.architecture = "toy";
    info_.path = "toy";
    info_.vocab_size = vocab;
    info_.context_length = 64;
  }

  // The next-token probabilities after `prefix` (full ids incl. the prompt);
  // logits are their logs, so the raw log-softmax equals log(p) exactly.
  void set(std::vector<std::int32_t> prefix, std::vector<double> probs) {
    table_[std::move(prefix)] = std::move(probs);
  }

  const ModelInfo& info() const override { return info_; }
  std::unique_ptr<KvCache> new_cache() const override { return std::make_unique<ToyKvCache>(); }

  void prefill(KvCache& cache, std::span<const std::int32_t> tokens,
               std::span<float> logits) override {
    ++prefill_calls;
    auto& toy = dynamic_cast<ToyKvCache&>(cache);
    toy.tokens.insert(toy.tokens.end(), tokens.begin(), tokens.end());
    write_logits(toy.tokens, logits);
    ++sequences_run;
  }

  void decode(std::span<KvCache* const> caches, std::span<const std::int32_t> tokens,
              std::span<float> logits) override {
    ++decode_calls;
    const std::size_t v = static_cast<std::size_t>(info_.vocab_size);
    for (std::size_t i = 0; i < caches.size(); ++i) {
      auto& toy = dynamic_cast<ToyKvCache&>(*caches[i]);
      toy.tokens.push_back(tokens[i]);
      write_logits(toy.tokens, logits.subspan(i * v, v));
      ++sequences_run;
    }
  }

  int calls() const { return prefill_calls + decode_calls; }
  void reset_counts() { prefill_calls = decode_calls = sequences_run = 0; }

  int prefill_calls = 0;
  int decode_calls = 0;
  int sequences_run = 0;  // prefixes whose logits the model computed

 private:
  void write_logits(const std::vector<std::int32_t>& prefix, std::span<float> out) const {
    auto it = table_.find(prefix);
    const std::vector<double>& p = it == table_.end() ? fallback_ : it->second;
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = p[i] > 0 ? static_cast<float>(std::log(p[i])) : -1e30f;
    }
  }

  ModelInfo info_;
  std::vector<double> fallback_;
  std::map<std::vector<std::int32_t>, std::vector<double>> table_;
};

// Token i is the text "<i>"-free word list given at construction.
class ToyTokenizer final : public Tokenizer {
 public:
  explicit ToyTokenizer(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {}
  std::vector<std::int32_t> encode(std::string_view text,
                                   bool /*add_special_tokens*/ = true) const override {
    std::vector<std::int32_t> ids;
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      if (pieces_[i] == text) ids.push_back(static_cast<std::int32_t>(i));
    }
    return ids;
  }
  std::string decode(std::span<const std::int32_t> ids) const override {
    std::string s;
    for (std::int32_t id : ids) s += token_bytes(id);
    return s;
  }
  std::string token_bytes(std::int32_t id) const override {
    return pieces_.at(static_cast<std::size_t>(id));
  }
  int vocab_size() const override { return static_cast<int>(pieces_.size()); }
  std::optional<std::int32_t> token_id(std::string_view text) const override {
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      if (pieces_[i] == text) return static_cast<std::int32_t>(i);
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> pieces_;
};

}  // namespace beamscope::test
