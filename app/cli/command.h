#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace beamscope::cli {

// One `beamscope-cli <name>` subcommand. Each lives in its own cmd_*.cpp and
// registers itself, so main.cpp never changes when one is added.
struct Command {
  std::string_view name;
  std::string_view summary;                          // one line for --help
  std::string_view usage;                            // full option list for `<name> --help`
  int (*run)(const std::vector<std::string>& args);  // JSON to stdout; throws beamscope::Error
  // More of `<name> --help`, made when asked (the decoding parameters come
  // from their table, which static initialisation must not depend on).
  std::string (*options_help)() = nullptr;
};

bool register_command(const Command& command);
const std::vector<Command>& registered_commands();

}  // namespace beamscope::cli
