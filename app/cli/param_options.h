#pragma once

#include <initializer_list>
#include <set>
#include <string>

#include "cli/args.h"
#include "decoding/decode_param_spec.h"

namespace beamscope::cli {

// The decoding parameters as command-line options, read off the parameter
// table (decoding/decode_param_spec.h): every entry with an option becomes
// --<option>, parsed by its type, explained by its help line. `groups` picks
// the entries a command takes (`next` only the Chain group).
using ParamGroups = std::initializer_list<ParamGroup>;

// The option names (without "--") of the entries in `groups`.
std::set<std::string> param_option_names(ParamGroups groups);

// Sets every given option of `groups` in `params`. A value that does not
// parse is a beamscope::Error naming the option; ranges are left to
// validate_decode_params. --order takes hf, llamacpp, or a comma-separated
// list of stages (a custom order).
void read_param_options(const Args& args, ParamGroups groups, DecodeParams& params);

// One line per option of `groups`: "--top-p X [1]   Keeps the smallest ...",
// under a heading per group.
std::string param_options_help(ParamGroups groups);

}  // namespace beamscope::cli
