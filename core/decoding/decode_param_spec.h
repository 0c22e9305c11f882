#pragma once

// The one description of every decoding parameter. The session codec, the
// GUI settings, the CLI options and help, the controls panel and
// validate_decode_params all walk this table instead of listing the fields
// of DecodeParams themselves, so a new parameter is a DecodeParams member
// plus one entry in decode_param_spec.cpp (plus its semantics, where a
// strategy or stage reads it).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "decoding/decode_params.h"

namespace beamscope {

// How a value is stored, written and parsed.
enum class ParamType {
  Integer,    // int; text "12"
  Real,       // double, always finite; text in the shortest round-trip form
  Seed,       // std::uint64_t; any value is valid
  Choice,     // an enum, by name (names_of())
  StageList,  // sampler stage names; text "top_k,temperature"
};

// The DecodeParams member an entry describes.
using DecodeParamField =
    std::variant<int DecodeParams::*, double DecodeParams::*, std::uint64_t DecodeParams::*,
                 StrategyKind DecodeParams::*, EarlyStopping DecodeParams::*,
                 ChainOrder DecodeParams::*, std::vector<std::string> DecodeParams::*>;

// Valid values of an Integer or Real: lo..hi, each end closed unless marked
// open. An infinite end means no bound on that side.
struct ParamRange {
  double lo = 0;
  double hi = 0;
  bool lo_open = false;
  bool hi_open = false;
};

// Which part of a run a parameter shapes (the CLI help groups by it; `next`
// takes the Chain group, the options that shape one distribution).
enum class ParamGroup { Run, Beam, Sampling, Chain };

// Which strategies read a parameter: the GUI disables the control elsewhere.
struct StrategySet {
  bool greedy = false;
  bool beam = false;
  bool sample = false;
  bool has(StrategyKind kind) const;
};

// A GUI slider: a teaching range inside the valid range (max_new_tokens is
// valid to 100000, but a slider to 64 is what a lecture uses). step 0: no
// slider for this parameter.
struct SliderHint {
  double lo = 0;
  double hi = 0;
  double step = 0;
  int decimals = 0;
};

struct DecodeParamSpec {
  std::string_view name;     // DecodeParams member, key in the session JSON and settings
  std::string_view hf_name;  // Hugging Face generate's argument; "" where HF has none
  std::string_view option;   // CLI option without "--"; "" where the CLI sets it another way
  std::string_view label;    // short human name for the GUI ("Beam width")
  ParamType type;
  DecodeParamField field;
  ParamRange range = {};  // Integer and Real only
  ParamGroup group;
  StrategySet used_by;
  std::string_view stage = "";  // the sampler stage this parameter drives; "" if none
  std::string_view help;        // one line: CLI help and GUI tooltip
  SliderHint slider = {};
  // The value the GUI starts with on a first launch, as text; "" keeps the
  // HF default. These are the lecture defaults: beam search with 4 beams
  // over 8 tokens shows a tree that fits on a slide, and each sampling
  // preset has a threshold that visibly cuts.
  std::string_view first_run = "";
};

// Every parameter, in the order help texts and panels list them.
std::span<const DecodeParamSpec> decode_param_specs();
// The entry called `name`; throws beamscope::Error for an unknown name.
const DecodeParamSpec& decode_param_spec(std::string_view name);

// The value's text form ("0.9", "beam", "top_k,temperature").
std::string param_text(const DecodeParamSpec& spec, const DecodeParams& params);
// Sets the value from its text form; false (and `params` unchanged) when the
// text does not parse as the entry's type. Ranges are not checked here.
bool set_param_text(const DecodeParamSpec& spec, std::string_view text, DecodeParams& params);
// The accepted names of a Choice (empty for other types).
std::span<const std::string_view> param_choices(const DecodeParamSpec& spec);
// Integer and Real: the range check alone; "" when `value` is valid, else
// the sentence validate_decode_params throws ("top_p must be between 0 and 1
// (got 1.5).").
std::string param_range_error(const DecodeParamSpec& spec, double value);
// Integer and Real: the value as a double (for sliders and range checks).
double param_number(const DecodeParamSpec& spec, const DecodeParams& params);
void set_param_number(const DecodeParamSpec& spec, double value, DecodeParams& params);

// DecodeParams{} with every entry's first_run value: what the GUI shows the
// first time it starts.
DecodeParams first_run_params();

// "a, b or c", for messages that list the accepted names.
std::string names_in_words(std::span<const std::string_view> names);

}  // namespace beamscope
