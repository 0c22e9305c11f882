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

constexpr StrategySet kAll{true, true, true};
constexpr StrategySet kBeamOnly{false, true, false};
constexpr StrategySet kSampleOnly{false, false, true};
constexpr StrategySet kBeamAndSample{false, true, true};

using P = DecodeParams;
using T = ParamType;
using G = ParamGroup;

// The table, in the order the controls panel shows it. Ranges are what
// validate_decode_params accepts; sliders are the GUI's teaching ranges
// inside them. HF defaults live in DecodeParams itself
// (its member initialisers), so they are written once too.
constexpr std::array<DecodeParamSpec, 20> kSpecs{{
    {"strategy",
     "",
     "strategy",
     "Strategy",
     T::Choice,
     &P::strategy,
     {},
     G::Run,
     kAll,
     "",
     "How the next token is picked: greedy, beam search or sampling.",
     {},
     "beam"},
    {"max_new_tokens",
     "max_new_tokens",
     "max-new-tokens",
     "Max new tokens",
     T::Integer,
     &P::max_new_tokens,
     {1, 100000},
     G::Run,
     kAll,
     "",
     "How many tokens to generate at most (max_new_tokens).",
     {1, 64, 1, 0},
     "8"},
    {"num_beams",
     "num_beams",
     "num-beams",
     "Beam width",
     T::Integer,
     &P::num_beams,
     {1, 256},
     G::Beam,
     kBeamOnly,
     "",
     "Number of beams kept at every step (num_beams).",
     {1, 16, 1, 0},
     "4"},
    {"length_penalty",
     "length_penalty",
     "length-penalty",
     "Length penalty",
     T::Real,
     &P::length_penalty,
     {-kInf, kInf},
     G::Beam,
     kBeamOnly,
     "",
     "Finished beams are scored sum(log p) / length^penalty: above 0 favours longer answers.",
     {-3, 3, 0.1, 1},
     ""},
    {"early_stopping",
     "early_stopping",
     "early-stopping",
     "Early stopping",
     T::Choice,
     &P::early_stopping,
     {},
     G::Beam,
     kBeamOnly,
     "",
     "When beam search stops: true when num_beams answers are done, false when no beam can "
     "still win, never as false assuming the longest length.",
     {},
     "true"},
    {"num_return_sequences",
     "num_return_sequences",
     "num-return-sequences",
     "Return sequences",
     T::Integer,
     &P::num_return_sequences,
     {1, kIntMax},
     G::Beam,
     kBeamAndSample,
     "",
     "How many answers to return (at most num_beams, or num_samples when sampling).",
     {1, 16, 1, 0},
     "4"},
    {"temperature",
     "temperature",
     "temperature",
     "Temperature",
     T::Real,
     &P::temperature,
     {0, kInf},
     G::Chain,
     kSampleOnly,
     "temperature",
     "Divides the logits: below 1 sharpens, above 1 flattens (0 = greedy).",
     {0, 3, 0.01, 2},
     ""},
    {"top_k",
     "top_k",
     "top-k",
     "Top-k",
     T::Integer,
     &P::top_k,
     {0, kIntMax},
     G::Chain,
     kSampleOnly,
     "top_k",
     "Keeps the k most likely tokens (0 = off).",
     {0, 200, 1, 0},
     "10"},
    {"top_p",
     "top_p",
     "top-p",
     "Top-p",
     T::Real,
     &P::top_p,
     {0, 1},
     G::Chain,
     kSampleOnly,
     "top_p",
     "Keeps the smallest set with this much probability mass (1 = off).",
     {0, 1, 0.01, 2},
     "0.9"},
    {"min_p",
     "min_p",
     "min-p",
     "Min-p",
     T::Real,
     &P::min_p,
     {0, 1},
     G::Chain,
     kSampleOnly,
     "min_p",
     "Drops tokens below min_p times the top token's probability (0 = off).",
     {0, 1, 0.01, 2},
     "0.1"},
    {"typical_p",
     "typical_p",
     "typical-p",
     "Typical-p",
     T::Real,
     &P::typical_p,
     {0, 1, true},
     G::Chain,
     kSampleOnly,
     "typical_p",
     "Keeps the tokens closest to the expected surprise, up to this mass (1 = off).",
     {},
     ""},
    {"epsilon_cutoff",
     "epsilon_cutoff",
     "epsilon-cutoff",
     "Epsilon cutoff",
     T::Real,
     &P::epsilon_cutoff,
     {0, 1, false, true},
     G::Chain,
     kSampleOnly,
     "epsilon",
     "Drops tokens whose probability is below this (0 = off).",
     {},
     ""},
    {"num_samples",
     "",
     "num-samples",
     "Number of samples",
     T::Integer,
     &P::num_samples,
     {1, 10000},
     G::Sampling,
     kSampleOnly,
     "",
     "Independent samples drawn; they share prefixes in one tree.",
     {1, 64, 1, 0},
     "8"},
    {"seed",
     "",
     "seed",
     "Seed",
     T::Seed,
     &P::seed,
     {},
     G::Sampling,
     kSampleOnly,
     "",
     "Random seed: the same seed gives the same samples.",
     {0, 9999, 1, 0},
     ""},
    {"repetition_penalty",
     "repetition_penalty",
     "repetition-penalty",
     "Repetition penalty",
     T::Real,
     &P::repetition_penalty,
     {0, kInf, true},
     G::Chain,
     kAll,
     "",
     "Penalises tokens already in the text (1 = off).",
     {0.5, 2.0, 0.01, 2},
     ""},
    {"no_repeat_ngram_size",
     "no_repeat_ngram_size",
     "no-repeat-ngram-size",
     "No-repeat n-gram",
     T::Integer,
     &P::no_repeat_ngram_size,
     {0, kIntMax},
     G::Chain,
     kAll,
     "",
     "Forbids any n-gram of this size from appearing twice (0 = off).",
     {},
     ""},
    {"order",
     "",
     "order",
     "Stage order",
     T::Choice,
     &P::order,
     {},
     G::Chain,
     kSampleOnly,
     "",
     "Sampler stage order: hf (temperature first), llamacpp (temperature last), or a "
     "comma-separated list of stages.",
     {},
     ""},
    {"custom_order",
     "",
     "",
     "Custom stages",
     T::StageList,
     &P::custom_order,
     {},
     G::Chain,
     kSampleOnly,
     "",
     "The stages of a custom order, in order.",
     {},
     ""},
    {"alternatives",
     "",
     "alternatives",
     "Alternatives per node",
     T::Integer,
     &P::alternatives,
     {0, 100},
     G::Run,
     kAll,
     "",
     "How many entries of each node's own next-token distribution to record and show.",
     {0, 20, 1, 0},
     "3"},
    {"max_nodes",
     "",
     "max-nodes",
     "Node cap",
     T::Integer,
     &P::max_nodes,
     {1, 10000000},
     G::Run,
     kAll,
     "",
     "The tree never grows past this many nodes; a run that would stops there.",
     {},
     ""},
}};

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
