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

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kIntMax = std::numeric_limits<int>::max();

constexpr ParamRange closed(double lo, double hi) { return {lo, hi, false, false}; }
constexpr ParamRange at_least(double lo) { return {lo, kInf, false, false}; }
constexpr ParamRange above(double lo) { return {lo, kInf, true, false}; }
constexpr ParamRange above_to(double lo, double hi) { return {lo, hi, true, false}; }
constexpr ParamRange from_below(double lo, double hi) { return {lo, hi, false, true}; }
constexpr ParamRange any_finite() { return {-kInf, kInf, false, false}; }

constexpr StrategySet kAll{true, true, true};
constexpr StrategySet kBeamOnly{false, true, false};
constexpr StrategySet kSampleOnly{false, false, true};
constexpr StrategySet kBeamAndSample{false, true, true};

using P = DecodeParams;
using T = ParamType;
using G = ParamGroup;

// The table, in the order the controls panel shows it. Ranges are what
// validate_decode_params accepts; sliders are the GUI's teaching ranges
// inside them ({lo, hi, step, decimals}). HF defaults live in DecodeParams
// itself (its member initialisers), so they are written once too.
// clang-format off: one entry per parameter reads best as a table.
constexpr std::array<DecodeParamSpec, 21> kSpecs{{
    {.name = "strategy",
     .hf_name = "",
     .option = "strategy",
     .label = "Strategy",
     .type = T::Choice,
     .field = &P::strategy,
     .group = G::Run,
     .used_by = kAll,
     .help = "How the next token is picked: greedy, beam search or sampling.",
     .first_run = "beam"},
    {.name = "max_new_tokens",
     .hf_name = "max_new_tokens",
     .option = "max-new-tokens",
     .label = "Max new tokens",
     .type = T::Integer,
     .field = &P::max_new_tokens,
     .range = closed(1, 100000),
     .group = G::Run,
     .used_by = kAll,
     .help = "How many tokens to generate at most (max_new_tokens).",
     .slider = {1, 64, 1, 0},
     .first_run = "8"},
    {.name = "num_beams",
     .hf_name = "num_beams",
     .option = "num-beams",
     .label = "Beam width",
     .type = T::Integer,
     .field = &P::num_beams,
     .range = closed(1, 256),
     .group = G::Beam,
     .used_by = kBeamOnly,
     .help = "Number of beams kept at every step (num_beams).",
     .slider = {1, 16, 1, 0},
     .first_run = "4"},
    {.name = "length_penalty",
     .hf_name = "length_penalty",
     .option = "length-penalty",
     .label = "Length penalty",
     .type = T::Real,
     .field = &P::length_penalty,
     .range = any_finite(),
     .group = G::Beam,
     .used_by = kBeamOnly,
     .help = "Finished beams are scored sum(log p) / length^penalty: above 0 favours longer "
             "answers.",
     .slider = {-3, 3, 0.1, 1}},
    {.name = "early_stopping",
     .hf_name = "early_stopping",
     .option = "early-stopping",
     .label = "Early stopping",
     .type = T::Choice,
     .field = &P::early_stopping,
     .group = G::Beam,
     .used_by = kBeamOnly,
     .help = "When beam search stops: true when num_beams answers are done, false when no beam "
             "can still win, never as false assuming the longest length.",
     .first_run = "true"},
    {.name = "num_return_sequences",
     .hf_name = "num_return_sequences",
     .option = "num-return-sequences",
     .label = "Return sequences",
     .type = T::Integer,
     .field = &P::num_return_sequences,
     .range = at_least(1),
     .group = G::Beam,
     .used_by = kBeamAndSample,
     .help = "How many answers to return (at most num_beams, or num_samples when sampling).",
     .slider = {1, 16, 1, 0},
     .first_run = "4"},
    {.name = "temperature",
     .hf_name = "temperature",
     .option = "temperature",
     .label = "Temperature",
     .type = T::Real,
     .field = &P::temperature,
     .range = at_least(0),
     .group = G::Chain,
     .used_by = kSampleOnly,
     .stage = "temperature",
     .help = "Divides the logits: below 1 sharpens, above 1 flattens (0 = greedy).",
     .slider = {0, 3, 0.01, 2}},
    {.name = "top_k",
     .hf_name = "top_k",
     .option = "top-k",
     .label = "Top-k",
     .type = T::Integer,
     .field = &P::top_k,
     .range = at_least(0),
     .group = G::Chain,
     .used_by = kSampleOnly,
     .stage = "top_k",
     .help = "Keeps the k most likely tokens (0 = off).",
     .slider = {0, 200, 1, 0},
     .first_run = "10"},
    {.name = "top_p",
     .hf_name = "top_p",
     .option = "top-p",
     .label = "Top-p",
     .type = T::Real,
     .field = &P::top_p,
     .range = closed(0, 1),
     .group = G::Chain,
     .used_by = kSampleOnly,
     .stage = "top_p",
     .help = "Keeps the smallest set with this much probability mass (1 = off).",
     .slider = {0, 1, 0.01, 2},
     .first_run = "0.9"},
    {.name = "min_p",
     .hf_name = "min_p",
     .option = "min-p",
     .label = "Min-p",
     .type = T::Real,
     .field = &P::min_p,
     .range = closed(0, 1),
     .group = G::Chain,
     .used_by = kSampleOnly,
     .stage = "min_p",
     .help = "Drops tokens below min_p times the top token's probability (0 = off).",
     .slider = {0, 1, 0.01, 2},
     .first_run = "0.1"},
    {.name = "typical_p",
     .hf_name = "typical_p",
     .option = "typical-p",
     .label = "Typical-p",
     .type = T::Real,
     .field = &P::typical_p,
     .range = above_to(0, 1),
     .group = G::Chain,
     .used_by = kSampleOnly,
     .stage = "typical_p",
     .help = "Keeps the tokens closest to the expected surprise, up to this mass (1 = off)."},
    {.name = "epsilon_cutoff",
     .hf_name = "epsilon_cutoff",
     .option = "epsilon-cutoff",
     .label = "Epsilon cutoff",
     .type = T::Real,
     .field = &P::epsilon_cutoff,
     .range = from_below(0, 1),
     .group = G::Chain,
     .used_by = kSampleOnly,
     .stage = "epsilon",
     .help = "Drops tokens whose probability is below this (0 = off)."},
    {.name = "num_samples",
     .hf_name = "",
     .option = "num-samples",
     .label = "Number of samples",
     .type = T::Integer,
     .field = &P::num_samples,
     .range = closed(1, 10000),
     .group = G::Sampling,
     .used_by = kSampleOnly,
     .help = "Independent samples drawn; they share prefixes in one tree.",
     .slider = {1, 64, 1, 0},
     .first_run = "8"},
    {.name = "seed",
     .hf_name = "",
     .option = "seed",
     .label = "Seed",
     .type = T::Seed,
     .field = &P::seed,
     .group = G::Sampling,
     .used_by = kSampleOnly,
     .help = "Random seed: the same seed gives the same samples.",
     .slider = {0, 9999, 1, 0}},
    {.name = "repetition_penalty",
     .hf_name = "repetition_penalty",
     .option = "repetition-penalty",
     .label = "Repetition penalty",
     .type = T::Real,
     .field = &P::repetition_penalty,
     .range = above(0),
     .group = G::Chain,
     .used_by = kAll,
     .help = "Penalises tokens already in the text (1 = off).",
     .slider = {0.5, 2.0, 0.01, 2}},
    {.name = "no_repeat_ngram_size",
     .hf_name = "no_repeat_ngram_size",
     .option = "no-repeat-ngram-size",
     .label = "No-repeat n-gram",
     .type = T::Integer,
     .field = &P::no_repeat_ngram_size,
     .range = at_least(0),
     .group = G::Chain,
     .used_by = kAll,
     .help = "Forbids any n-gram of this size from appearing twice (0 = off)."},
    {.name = "order",
     .hf_name = "",
     .option = "order",
     .label = "Stage order",
     .type = T::Choice,
     .field = &P::order,
     .group = G::Chain,
     .used_by = kSampleOnly,
     .help = "Sampler stage order: hf (temperature first), llamacpp (temperature last), or a "
             "comma-separated list of stages."},
    {.name = "custom_order",
     .hf_name = "",
     .option = "",
     .label = "Custom stages",
     .type = T::StageList,
     .field = &P::custom_order,
     .group = G::Chain,
     .used_by = kSampleOnly,
     .help = "The stages of a custom order, in order."},
    {.name = "alternatives",
     .hf_name = "",
     .option = "alternatives",
     .label = "Alternatives per node",
     .type = T::Integer,
     .field = &P::alternatives,
     .range = closed(0, 100),
     .group = G::Run,
     .used_by = kAll,
     .help = "How many of each node's other candidate tokens to show as nodes in the tree.",
     .slider = {0, 20, 1, 0},
     .first_run = "3"},
    {.name = "distribution_size",
     .hf_name = "",
     .option = "distribution-size",
     .label = "Distribution entries",
     .type = T::Integer,
     .field = &P::distribution_size,
     .range = closed(0, 1000),
     .group = G::Run,
     .used_by = kAll,
     .help = "How many entries of each node's next-token distribution to record for the "
             "inspector (at least the alternatives per node)."},
    {.name = "max_nodes",
     .hf_name = "",
     .option = "max-nodes",
     .label = "Node cap",
     .type = T::Integer,
     .field = &P::max_nodes,
     .range = closed(1, 10000000),
     .group = G::Run,
     .used_by = kAll,
     .help = "The tree never grows past this many nodes; a run that would stops there."},
}};
// clang-format on

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

std::span<const DecodeParamSpec> decode_param_specs() { return kSpecs; }

const DecodeParamSpec& decode_param_spec(std::string_view name) {
  for (const DecodeParamSpec& spec : kSpecs) {
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
  for (const DecodeParamSpec& spec : kSpecs) {
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
  for (const DecodeParamSpec& spec : kSpecs) {
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
