#include "decoding/decode_param_spec.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>

#include "util/error.h"

namespace beamscope {

namespace {

constexpr double kIntMax = std::numeric_limits<int>::max();

std::string integer_text(long long x) { return std::to_string(x); }

std::string real_text(double x) {
  std::array<char, 32> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
  return ec == std::errc() ? std::string(buffer.data(), end) : std::string("?");
}

template <typename N>
bool parse_number(std::string_view text, N& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    out.emplace_back(text.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

template <typename E>
std::optional<E> parse_choice(std::string_view name) {
  if constexpr (std::is_same_v<E, StrategyKind>) return parse_strategy(name);
  if constexpr (std::is_same_v<E, EarlyStopping>) return parse_early_stopping(name);
  if constexpr (std::is_same_v<E, ChainOrder>) return parse_order(name);
}

template <typename M>
constexpr bool kIsChoice = std::is_enum_v<M>;

}  // namespace

bool StrategySet::has(StrategyKind kind) const {
  switch (kind) {
    case StrategyKind::Greedy:
      return greedy;
    case StrategyKind::Beam:
      return beam;
    case StrategyKind::Sample:
      return sample;
  }
  return false;
}

const DecodeParamSpec& decode_param_spec(std::string_view name) {
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.name == name) return spec;
  }
  throw Error("There is no decoding parameter called '" + std::string(name) + "'.");
}

std::string param_text(const DecodeParamSpec& spec, const DecodeParams& params) {
  return std::visit(
      [&](auto member) -> std::string {
        const auto& value = params.*member;
        using M = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<M, double>) {
          return real_text(value);
        } else if constexpr (std::is_same_v<M, int> || std::is_same_v<M, std::uint64_t>) {
          return std::to_string(value);
        } else if constexpr (kIsChoice<M>) {
          return std::string(to_string(value));
        } else {
          std::string out;
          for (const std::string& stage : value) out += (out.empty() ? "" : ",") + stage;
          return out;
        }
      },
      spec.field);
}

bool set_param_text(const DecodeParamSpec& spec, std::string_view text, DecodeParams& params) {
  return std::visit(
      [&](auto member) -> bool {
        auto& value = params.*member;
        using M = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<M, double>) {
          double x = 0;
          if (!parse_number(text, x) || !std::isfinite(x)) return false;
          value = x;
        } else if constexpr (std::is_same_v<M, int> || std::is_same_v<M, std::uint64_t>) {
          M x = 0;
          if (!parse_number(text, x)) return false;
          value = x;
        } else if constexpr (kIsChoice<M>) {
          const std::optional<M> x = parse_choice<M>(text);
          if (!x) return false;
          value = *x;
        } else {
          value = split_commas(text);
        }
        return true;
      },
      spec.field);
}

std::span<const std::string_view> param_choices(const DecodeParamSpec& spec) {
  return std::visit(
      [](auto member) -> std::span<const std::string_view> {
        using M = std::decay_t<decltype(DecodeParams{}.*member)>;
        if constexpr (kIsChoice<M>) {
          return names_of(M{});
        } else {
          return {};
        }
      },
      spec.field);
}

double param_number(const DecodeParamSpec& spec, const DecodeParams& params) {
  if (const auto* real = std::get_if<double DecodeParams::*>(&spec.field)) return params.**real;
  if (const auto* integer = std::get_if<int DecodeParams::*>(&spec.field)) return params.**integer;
  if (const auto* seed = std::get_if<std::uint64_t DecodeParams::*>(&spec.field)) {
    return static_cast<double>(params.**seed);
  }
  throw Error("The decoding parameter " + std::string(spec.name) + " is not a number.");
}

void set_param_number(const DecodeParamSpec& spec, double value, DecodeParams& params) {
  if (const auto* real = std::get_if<double DecodeParams::*>(&spec.field)) {
    params.** real = value;
  } else if (const auto* integer = std::get_if<int DecodeParams::*>(&spec.field)) {
    params.** integer = static_cast<int>(std::lround(value));
  } else if (const auto* seed = std::get_if<std::uint64_t DecodeParams::*>(&spec.field)) {
    params.** seed = static_cast<std::uint64_t>(std::llround(std::max(value, 0.0)));
  } else {
    throw Error("The decoding parameter " + std::string(spec.name) + " is not a number.");
  }
}

std::string param_range_error(const DecodeParamSpec& spec, double value) {
  const ParamRange& r = spec.range;
  auto text = [&](double x) {
    return spec.type == ParamType::Integer ? integer_text(static_cast<long long>(x)) : real_text(x);
  };
  const std::string got = " (got " + text(value) + ").";
  const std::string name(spec.name);
  if (!std::isfinite(value)) return name + " must be a finite number" + got;
  const bool has_lo = std::isfinite(r.lo);
  // An int's own limit is no bound a user needs to hear about.
  const bool has_hi = std::isfinite(r.hi) && !(spec.type == ParamType::Integer && r.hi >= kIntMax);
  const bool above_lo = !has_lo || (r.lo_open ? value > r.lo : value >= r.lo);
  const bool below_hi = !has_hi || (r.hi_open ? value < r.hi : value <= r.hi);
  if (above_lo && below_hi) return "";
  if (has_lo && has_hi && !r.lo_open && !r.hi_open) {
    return name + " must be between " + text(r.lo) + " and " + text(r.hi) + got;
  }
  std::string bounds;
  if (has_lo) bounds += (r.lo_open ? "above " : "at least ") + text(r.lo);
  if (has_lo && has_hi) bounds += " and ";
  if (has_hi) bounds += (r.hi_open ? "below " : "at most ") + text(r.hi);
  return name + " must be " + bounds + got;
}

DecodeParams first_run_params() {
  DecodeParams params;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (!spec.first_run.empty() && !set_param_text(spec, spec.first_run, params)) {
      throw Error("The first-run value of " + std::string(spec.name) + " does not parse.");
    }
  }
  return params;
}

void validate_decode_params(const DecodeParams& p) {
  auto require = [](bool ok, const std::string& message) {
    if (!ok) throw Error(message);
  };
  // Each number against its own range first ...
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.type != ParamType::Integer && spec.type != ParamType::Real) continue;
    const std::string error = param_range_error(spec, param_number(spec, p));
    require(error.empty(), error);
  }
  // ... then the rules that tie parameters together.
  const std::string returned = std::to_string(p.num_return_sequences);
  if (p.strategy == StrategyKind::Beam) {
    require(p.num_return_sequences <= p.num_beams, "num_return_sequences (" + returned +
                                                       ") cannot be larger than num_beams (" +
                                                       std::to_string(p.num_beams) + ").");
  } else if (p.strategy == StrategyKind::Greedy) {
    require(p.num_return_sequences == 1,
            "Greedy search returns one sequence, so num_return_sequences must be 1 (got " +
                returned + ").");
  } else {
    require(p.num_return_sequences <= p.num_samples, "num_return_sequences (" + returned +
                                                         ") cannot be larger than num_samples (" +
                                                         std::to_string(p.num_samples) + ").");
  }
  if (p.order != ChainOrder::Custom) return;
  const std::span<const std::string_view> known = sampler_stage_names();
  for (auto it = p.custom_order.begin(); it != p.custom_order.end(); ++it) {
    require(std::find(known.begin(), known.end(), *it) != known.end(),
            "Unknown sampler stage '" + *it + "' in the custom order; use " +
                names_in_words(known) + ".");
    require(std::find(p.custom_order.begin(), it, *it) == it,
            "The sampler stage '" + *it + "' appears twice in the custom order.");
  }
}

std::string names_in_words(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace beamscope
