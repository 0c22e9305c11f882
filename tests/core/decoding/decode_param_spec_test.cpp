// The parameter table (decoding/decode_param_spec.h) is the one description
// every store and face reads, so it must be complete and self-consistent:
// each DecodeParams member described once, defaults and first-run values
// valid, text forms that round-trip, ranges that refuse with one sentence,
// and stage names that the sampler chain really builds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <tuple>

#include "common/decode_param_samples.h"
#include "decoding/decode_param_spec.h"
#include "decoding/sampler_chain.h"
#include "util/error.h"

namespace beamscope {
namespace {

// The number of members of an aggregate: the most initialisers it takes
// (each AnyValue converts to whatever the next member is).
struct AnyValue {
  template <typename T>
  operator T() const;  // NOLINT(google-explicit-constructor): only used unevaluated
};
template <typename T, typename... Given>
constexpr std::size_t member_count() {
  if constexpr (requires { T{Given{}..., AnyValue{}}; }) {
    return member_count<T, Given..., AnyValue>();
  } else {
    return sizeof...(Given);
  }
}

std::string validation_error(const DecodeParams& p) {
  try {
    validate_decode_params(p);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(DecodeParamSpec, EveryEntryHasItsOwnNameOptionAndField) {
  std::set<std::string_view> names, options;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    if (!spec.option.empty()) {
      EXPECT_TRUE(options.insert(spec.option).second) << spec.option;
    }
    EXPECT_FALSE(spec.help.empty()) << spec.name;
    EXPECT_FALSE(spec.label.empty()) << spec.name;
    EXPECT_TRUE(spec.used_by.greedy || spec.used_by.beam || spec.used_by.sample) << spec.name;
    DecodeParams changed;
    test::set_other_value(spec, changed);
    EXPECT_FALSE(changed == DecodeParams{}) << spec.name << " changes no member";
    EXPECT_EQ(&decode_param_spec(spec.name), &spec);
  }
  // One entry per member: as many entries as DecodeParams has members, and
  // no two on the same member.
  EXPECT_EQ(decode_param_specs().size(), member_count<DecodeParams>());
  for (const DecodeParamSpec& a : decode_param_specs()) {
    for (const DecodeParamSpec& b : decode_param_specs()) {
      if (&a != &b) {
        EXPECT_FALSE(a.field == b.field) << a.name << " and " << b.name;
      }
    }
  }
  EXPECT_THROW(decode_param_spec("no_such_parameter"), Error);
}

TEST(DecodeParamSpec, DefaultsAndFirstRunValuesAreValid) {
  EXPECT_EQ(validation_error(DecodeParams{}), "");
  const DecodeParams start = first_run_params();
  EXPECT_EQ(validation_error(start), "");
  // The lecture defaults: beam search, 4 beams, 8 tokens, thresholds that cut.
  EXPECT_EQ(start.strategy, StrategyKind::Beam);
  EXPECT_EQ(start.num_beams, 4);
  EXPECT_EQ(start.max_new_tokens, 8);
  EXPECT_EQ(start.early_stopping, EarlyStopping::True);
  EXPECT_EQ(start.top_k, 10);
  EXPECT_DOUBLE_EQ(start.top_p, 0.9);
}

TEST(DecodeParamSpec, TextFormsRoundTrip) {
  const DecodeParams all = test::every_param_changed();
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    DecodeParams back;
    ASSERT_TRUE(set_param_text(spec, param_text(spec, all), back)) << spec.name;
    EXPECT_EQ(param_text(spec, back), param_text(spec, all)) << spec.name;
  }
  DecodeParams p;
  const DecodeParams before = p;
  EXPECT_FALSE(set_param_text(decode_param_spec("top_k"), "ten", p));
  EXPECT_FALSE(set_param_text(decode_param_spec("top_p"), "nan", p));
  EXPECT_FALSE(set_param_text(decode_param_spec("strategy"), "bogus", p));
  EXPECT_FALSE(set_param_text(decode_param_spec("seed"), "-1", p));
  EXPECT_TRUE(p == before);
  EXPECT_EQ(param_text(decode_param_spec("top_p"), first_run_params()), "0.9");
}

TEST(DecodeParamSpec, EveryBoundIsEnforcedWithOneSentence) {
  int bounds = 0;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.type != ParamType::Integer && spec.type != ParamType::Real) continue;
    const double step = spec.type == ParamType::Integer ? 1 : 1e-9;
    for (const auto& [bound, open, outside] :
         {std::tuple{spec.range.lo, spec.range.lo_open, -step},
          std::tuple{spec.range.hi, spec.range.hi_open, step}}) {
      if (!std::isfinite(bound) || bound >= std::numeric_limits<int>::max()) continue;
      ++bounds;
      DecodeParams p;
      set_param_number(spec, open ? bound : bound + outside, p);
      const std::string e = validation_error(p);
      EXPECT_EQ(e.rfind(std::string(spec.name) + " must be ", 0), 0u) << e;
      EXPECT_EQ(e.back(), '.');
      EXPECT_EQ(e.find('\n'), std::string::npos);
      set_param_number(spec, open ? bound - outside : bound, p);
      EXPECT_EQ(param_range_error(spec, param_number(spec, p)), "") << spec.name;
    }
  }
  EXPECT_GE(bounds, 15);
  DecodeParams p;
  p.top_p = 1.5;
  EXPECT_EQ(validation_error(p), "top_p must be between 0 and 1 (got 1.5).");
  p = {};
  p.typical_p = 0;
  EXPECT_EQ(validation_error(p), "typical_p must be above 0 and at most 1 (got 0).");
  p = {};
  p.temperature = std::numeric_limits<double>::infinity();
  EXPECT_EQ(validation_error(p), "temperature must be a finite number (got inf).");
  p = {};
  p.top_k = -1;
  EXPECT_EQ(validation_error(p), "top_k must be at least 0 (got -1).");
}

TEST(DecodeParamSpec, SlidersSitInsideTheValidRange) {
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.slider.step <= 0) continue;
    if (spec.type == ParamType::Seed) continue;  // every seed is valid
    EXPECT_EQ(param_range_error(spec, spec.slider.lo), "") << spec.name;
    EXPECT_EQ(param_range_error(spec, spec.slider.hi), "") << spec.name;
    EXPECT_LT(spec.slider.lo, spec.slider.hi) << spec.name;
  }
}

TEST(DecodeParamSpec, StageNamesAreTheChainsOwn) {
  // Each stage name builds that stage when listed in a custom order with its
  // parameter moved off neutral.
  DecodeParams p = test::every_param_changed();
  p.strategy = StrategyKind::Sample;
  p.repetition_penalty = 1.0;
  p.no_repeat_ngram_size = 0;
  p.temperature = 0.5;
  p.top_k = 3;
  p.top_p = 0.5;
  p.min_p = 0.5;
  p.typical_p = 0.5;
  p.epsilon_cutoff = 0.1;
  for (std::string_view name : sampler_stage_names()) {
    p.order = ChainOrder::Custom;
    p.custom_order = {std::string(name)};
    EXPECT_EQ(validation_error(p), "") << name;
    const SamplerChain chain(p, ChainScope::Sampling);
    EXPECT_EQ(chain.stage_names(), std::vector<std::string>{std::string(name)});
  }
  // The hf order is the stage list itself.
  p.order = ChainOrder::Hf;
  const std::vector<std::string> hf = SamplerChain(p, ChainScope::Sampling).stage_names();
  EXPECT_EQ(hf,
            std::vector<std::string>(sampler_stage_names().begin(), sampler_stage_names().end()));
  // Every stage an entry drives is a stage the chain knows.
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.stage.empty()) continue;
    EXPECT_NE(std::find(sampler_stage_names().begin(), sampler_stage_names().end(), spec.stage),
              sampler_stage_names().end())
        << spec.stage;
  }
  p.order = ChainOrder::Custom;
  p.custom_order = {"top_k", "warmth"};
  EXPECT_EQ(validation_error(p),
            "Unknown sampler stage 'warmth' in the custom order; use temperature, top_k, top_p, "
            "min_p, typical_p or epsilon.");
  p.custom_order = {"top_k", "top_k"};
  EXPECT_EQ(validation_error(p), "The sampler stage 'top_k' appears twice in the custom order.");
}

}  // namespace
}  // namespace beamscope
