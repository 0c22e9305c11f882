#include "decoding/decode_params.h"

#include <array>
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

constexpr std::array<std::pair<StrategyKind, std::string_view>, 3> kStrategies{{
    {StrategyKind::Greedy, "greedy"}, {StrategyKind::Beam, "beam"}, {StrategyKind::Sample, "sample"}}};
constexpr std::array<std::pair<EarlyStopping, std::string_view>, 3> kEarlyStopping{{
    {EarlyStopping::True, "true"}, {EarlyStopping::False, "false"}, {EarlyStopping::Never, "never"}}};
constexpr std::array<std::pair<ChainOrder, std::string_view>, 3> kOrders{{
    {ChainOrder::Hf, "hf"}, {ChainOrder::LlamaCpp, "llamacpp"}, {ChainOrder::Custom, "custom"}}};
}  // namespace

std::string_view to_string(StrategyKind kind) { return name_of(kStrategies, kind); }
std::string_view to_string(EarlyStopping mode) { return name_of(kEarlyStopping, mode); }
std::string_view to_string(ChainOrder order) { return name_of(kOrders, order); }
std::optional<StrategyKind> parse_strategy(std::string_view name) { return value_of(kStrategies, name); }
std::optional<EarlyStopping> parse_early_stopping(std::string_view name) {
  return value_of(kEarlyStopping, name);
}
std::optional<ChainOrder> parse_order(std::string_view name) { return value_of(kOrders, name); }

}  // namespace beamscope
