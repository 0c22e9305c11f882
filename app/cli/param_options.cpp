#include "cli/param_options.h"

#include <algorithm>

#include "util/error.h"

namespace beamscope::cli {

namespace {

bool in(ParamGroups groups, ParamGroup group) {
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

// --order is the one option whose value is not simply the entry's text: a
// stage list there means order = custom plus custom_order = the list.
constexpr std::string_view kOrderParam = "order";

void read_order(const std::string& text, DecodeParams& p) {
  const std::optional<ChainOrder> named = parse_order(text);
  if (named && *named != ChainOrder::Custom) {
    p.order = *named;
    return;
  }
  p.order = ChainOrder::Custom;
  // Split as written, empty names included: validation names what is wrong.
  p.custom_order.clear();
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    p.custom_order.push_back(text.substr(pos, comma - pos));
    pos = comma + 1;
  }
}

std::string expected_value(const DecodeParamSpec& spec) {
  switch (spec.type) {
    case ParamType::Integer:
      return "an integer";
    case ParamType::Real:
      return "a number";
    case ParamType::Seed:
      return "a non-negative integer";
    case ParamType::Choice:
      return names_in_words(param_choices(spec));
    case ParamType::StageList:
      return "comma-separated stage names";
  }
  return "a value";
}

std::string placeholder(const DecodeParamSpec& spec) {
  if (spec.name == kOrderParam) return "hf|llamacpp|stage,...";
  switch (spec.type) {
    case ParamType::Integer:
    case ParamType::Seed:
      return "N";
    case ParamType::Real:
      return "X";
    case ParamType::Choice: {
      std::string out;
      for (std::string_view name : param_choices(spec)) {
        if (!out.empty()) out += '|';
        out += name;
      }
      return out;
    }
    case ParamType::StageList:
      return "stage,...";
  }
  return "V";
}

std::string heading(ParamGroup group) {
  switch (group) {
    case ParamGroup::Run:
      return "every strategy";
    case ParamGroup::Beam:
      return "beam search";
    case ParamGroup::Sampling:
      return "sampling";
    case ParamGroup::Chain:
      return "logits chain (penalties: every strategy; the stages and order: sampling only)";
  }
  return "";
}

}  // namespace

std::set<std::string> param_option_names(ParamGroups groups) {
  std::set<std::string> names;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (!spec.option.empty() && in(groups, spec.group)) names.emplace(spec.option);
  }
  return names;
}

void read_param_options(const Args& args, ParamGroups groups, DecodeParams& params) {
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (spec.option.empty() || !in(groups, spec.group)) continue;
    const std::string option(spec.option);
    const std::optional<std::string> text = args.get(option);
    if (!text) continue;
    if (spec.name == kOrderParam) {
      read_order(*text, params);
    } else if (!set_param_text(spec, *text, params)) {
      throw Error("Option --" + option + " expects " + expected_value(spec) + ", got '" + *text +
                  "'.");
    }
  }
}

std::string param_options_help(ParamGroups groups) {
  constexpr std::size_t kHelpColumn = 40;
  const DecodeParams defaults;
  std::string out =
      "\nDecoding parameters (Hugging Face generate's, with - for _; default in brackets):\n";
  for (ParamGroup group : groups) {
    out += "  " + heading(group) + ":\n";
    for (const DecodeParamSpec& spec : decode_param_specs()) {
      if (spec.option.empty() || spec.group != group) continue;
      std::string line = "    --" + std::string(spec.option) + " " + placeholder(spec) + " [" +
                         param_text(spec, defaults) + "]";
      // A long option line puts its help on the next line, in the column.
      if (line.size() >= kHelpColumn) line += "\n";
      line.resize(line.back() == '\n' ? line.size() + kHelpColumn : kHelpColumn, ' ');
      out += line + std::string(spec.help) + "\n";
    }
  }
  return out;
}

}  // namespace beamscope::cli
