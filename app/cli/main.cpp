// beamscope-cli: the headless face of the engine. Contract: JSON on stdout,
// one clear sentence on stderr and a non-zero exit on any error.
#include <algorithm>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "util/error.h"

namespace beamscope::cli {

namespace {
std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

void print_help() {
  std::cout << "beamscope-cli " << BEAMSCOPE_VERSION
            << " - see how a language model picks its next tokens\n\n"
               "Usage: beamscope-cli <command> [options]\n\n"
               "Commands:\n";
  auto commands = registered_commands();
  std::sort(commands.begin(), commands.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
  for (const Command& c : commands) {
    std::string name(c.name);
    name.resize(std::max<std::size_t>(name.size(), 10), ' ');
    std::cout << "  " << name << "  " << c.summary << "\n";
  }
  std::cout << "\nGlobal options:\n"
               "  --help      show this help (or `beamscope-cli <command> --help`)\n"
               "  --version   print the version\n\n"
               "--model DIR defaults to the bundled model. Output is JSON on stdout;\n"
               "errors are one sentence on stderr with a non-zero exit code.\n";
}
}  // namespace

bool register_command(const Command& command) {
  registry().push_back(command);
  return true;
}

const std::vector<Command>& registered_commands() { return registry(); }

}  // namespace beamscope::cli

int main(int argc, char** argv) {
  using namespace beamscope::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::cout << "beamscope-cli " << BEAMSCOPE_VERSION << "\n";
    return 0;
  }
  const auto& commands = registered_commands();
  auto it = std::find_if(commands.begin(), commands.end(),
                         [&](const Command& c) { return c.name == args[0]; });
  if (it == commands.end()) {
    std::cerr << "Unknown command '" << args[0] << "'; run beamscope-cli --help for the list.\n";
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
    std::cout << "Usage: beamscope-cli " << it->name << " " << it->usage << "\n";
    if (it->options_help) std::cout << it->options_help();
    return 0;
  }
  try {
    return it->run(rest);
  } catch (const beamscope::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "Out of memory.\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "Internal error: " << e.what() << ".\n";
    return 1;
  }
}
