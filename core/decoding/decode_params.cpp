#include "decoding/decode_params.h"

#include <algorithm>

#include <array>
#include <utility>

namespace beamscope {

namespace {
template <typename E, std::size_t N>
struct NameTable {
  std::array<E, N> values;
  std::array<std::string_view, N> names;

  std::string_view name_of(E value) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (values[i] == value) return names[i];
    }
    return "unknown";
  }
  std::optional<E> value_of(std::string_view name) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == name) return values[i];
    }
    return std::nullopt;
  }
};

constexpr NameTable<StrategyKind, 3> kStrategies{
    {StrategyKind::Greedy, StrategyKind::Beam, StrategyKind::Sample}, {"greedy", "beam", "sample"}};
// HF writes early_stopping as True / False / "never".
constexpr NameTable<EarlyStopping, 3> kEarlyStopping{
    {EarlyStopping::True, EarlyStopping::False, EarlyStopping::Never}, {"true", "false", "never"}};
constexpr NameTable<ChainOrder, 3> kOrders{
    {ChainOrder::Hf, ChainOrder::LlamaCpp, ChainOrder::Custom}, {"hf", "llamacpp", "custom"}};

// The stage names, once: HF's order (transformers' _get_logits_processor
// appends the warpers temperature, top-k, top-p, min-p, typical, epsilon).
constexpr std::array<std::string_view, 6> kSamplerStages{"temperature", "top_k",     "top_p",
                                                         "min_p",       "typical_p", "epsilon"};
}  // namespace

int recorded_distribution_size(const DecodeParams& params) {
  return std::max(params.alternatives, params.distribution_size);
}

std::string_view to_string(StrategyKind kind) { return kStrategies.name_of(kind); }
std::string_view to_string(EarlyStopping mode) { return kEarlyStopping.name_of(mode); }
std::string_view to_string(ChainOrder order) { return kOrders.name_of(order); }
std::optional<StrategyKind> parse_strategy(std::string_view name) {
  return kStrategies.value_of(name);
}
std::optional<EarlyStopping> parse_early_stopping(std::string_view name) {
  return kEarlyStopping.value_of(name);
}
std::optional<ChainOrder> parse_order(std::string_view name) { return kOrders.value_of(name); }
std::span<const std::string_view> names_of(StrategyKind) { return kStrategies.names; }
std::span<const std::string_view> names_of(EarlyStopping) { return kEarlyStopping.names; }
std::span<const std::string_view> names_of(ChainOrder) { return kOrders.names; }

std::span<const std::string_view> sampler_stage_names() { return kSamplerStages; }

}  // namespace beamscope
