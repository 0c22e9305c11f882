#include "decoding/decode_params.h"

#include "util/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <utility>

namespace beamscope {

namespace {
template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<StrategyKind, std::string_view>, 3> kStrategies{
    {{StrategyKind::Greedy, "greedy"},
     {StrategyKind::Beam, "beam"},
     {StrategyKind::Sample, "sample"}}};
constexpr std::array<std::pair<EarlyStopping, std::string_view>, 3> kEarlyStopping{
    {{EarlyStopping::True, "true"},
     {EarlyStopping::False, "false"},
     {EarlyStopping::Never, "never"}}};
constexpr std::array<std::pair<ChainOrder, std::string_view>, 3> kOrders{
    {{ChainOrder::Hf, "hf"}, {ChainOrder::LlamaCpp, "llamacpp"}, {ChainOrder::Custom, "custom"}}};
}  // namespace

std::string_view to_string(StrategyKind kind) { return name_of(kStrategies, kind); }
std::string_view to_string(EarlyStopping mode) { return name_of(kEarlyStopping, mode); }
std::string_view to_string(ChainOrder order) { return name_of(kOrders, order); }
std::optional<StrategyKind> parse_strategy(std::string_view name) {
  return value_of(kStrategies, name);
}
std::optional<EarlyStopping> parse_early_stopping(std::string_view name) {
  return value_of(kEarlyStopping, name);
}
std::optional<ChainOrder> parse_order(std::string_view name) { return value_of(kOrders, name); }

namespace {
std::string number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

void require(bool ok, const std::string& message) {
  if (!ok) throw Error(message);
}
}  // namespace

void validate_decode_params(const DecodeParams& p) {
  require(p.max_new_tokens >= 1 && p.max_new_tokens <= 100000,
          "max_new_tokens must be between 1 and 100000 (got " + std::to_string(p.max_new_tokens) +
              ").");
  require(p.num_beams >= 1 && p.num_beams <= 256,
          "num_beams must be between 1 and 256 (got " + std::to_string(p.num_beams) + ").");
  require(std::isfinite(p.length_penalty),
          "length_penalty must be a finite number (got " + number(p.length_penalty) + ").");
  require(p.num_return_sequences >= 1, "num_return_sequences must be at least 1 (got " +
                                           std::to_string(p.num_return_sequences) + ").");
  if (p.strategy == StrategyKind::Beam) {
    require(p.num_return_sequences <= p.num_beams,
            "num_return_sequences (" + std::to_string(p.num_return_sequences) +
                ") cannot be larger than num_beams (" + std::to_string(p.num_beams) + ").");
  } else if (p.strategy == StrategyKind::Greedy) {
    require(p.num_return_sequences == 1,
            "Greedy search returns one sequence, so num_return_sequences must be 1 (got " +
                std::to_string(p.num_return_sequences) + ").");
  } else {
    require(p.num_return_sequences <= p.num_samples,
            "num_return_sequences (" + std::to_string(p.num_return_sequences) +
                ") cannot be larger than num_samples (" + std::to_string(p.num_samples) + ").");
  }
  require(
      std::isfinite(p.repetition_penalty) && p.repetition_penalty > 0.0,
      "repetition_penalty must be a positive number (got " + number(p.repetition_penalty) + ").");
  require(p.no_repeat_ngram_size >= 0, "no_repeat_ngram_size must be 0 (off) or more (got " +
                                           std::to_string(p.no_repeat_ngram_size) + ").");
  require(std::isfinite(p.temperature) && p.temperature >= 0.0,
          "temperature must be 0 or more (got " + number(p.temperature) + ").");
  require(p.top_k >= 0, "top_k must be 0 (off) or more (got " + std::to_string(p.top_k) + ").");
  require(p.top_p >= 0.0 && p.top_p <= 1.0,
          "top_p must be between 0 and 1 (got " + number(p.top_p) + ").");
  require(p.min_p >= 0.0 && p.min_p <= 1.0,
          "min_p must be between 0 and 1 (got " + number(p.min_p) + ").");
  require(p.typical_p > 0.0 && p.typical_p <= 1.0,
          "typical_p must be above 0 and at most 1 (got " + number(p.typical_p) + ").");
  require(p.epsilon_cutoff >= 0.0 && p.epsilon_cutoff < 1.0,
          "epsilon_cutoff must be at least 0 and below 1 (got " + number(p.epsilon_cutoff) + ").");
  require(p.num_samples >= 1 && p.num_samples <= 10000,
          "num_samples must be between 1 and 10000 (got " + std::to_string(p.num_samples) + ").");
  require(p.alternatives >= 0 && p.alternatives <= 100,
          "alternatives must be between 0 and 100 (got " + std::to_string(p.alternatives) + ").");
  require(p.max_nodes >= 1 && p.max_nodes <= 10000000,
          "max_nodes must be between 1 and 10000000 (got " + std::to_string(p.max_nodes) + ").");
  if (p.order == ChainOrder::Custom) {
    static constexpr std::array<std::string_view, 6> kKnown{"temperature", "top_k",     "top_p",
                                                            "min_p",       "typical_p", "epsilon"};
    for (std::size_t i = 0; i < p.custom_order.size(); ++i) {
      const std::string& name = p.custom_order[i];
      require(
          std::find(kKnown.begin(), kKnown.end(), name) != kKnown.end(),
          "Unknown sampler stage '" + name +
              "' in the custom order; use temperature, top_k, top_p, min_p, typical_p or epsilon.");
      require(
          std::find(p.custom_order.begin(), p.custom_order.begin() + static_cast<std::ptrdiff_t>(i),
                    name) == p.custom_order.begin() + static_cast<std::ptrdiff_t>(i),
          "The sampler stage '" + name + "' appears twice in the custom order.");
    }
  }
}

}  // namespace beamscope
