// beamscope-cli: the headless face of the engine. Contract: JSON on stdout,
// one clear sentence on stderr and a non-zero exit on any error.
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "util/error.h"
#include "util/thread_pool.h"

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
  std::cout
      << "\nGlobal options:\n"
         "  --help      show this help (or `beamscope-cli <command> --help`)\n"
         "  --version   print the version\n"
         "  --threads N threads for the model (any command; default: the physical cores)\n"
         "  --float-activations  GGUF Q8_0/Q4_0/Q4_K/Q5_K/Q6_K products on float activations\n"
         "              (float arithmetic on the dequantized weights) instead of llama.cpp's\n"
         "              8-bit ones (BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS=1 does the same)\n\n"
         "--model DIR defaults to the bundled model. Output is JSON on stdout;\n"
         "errors are one sentence on stderr with a non-zero exit code.\n";
}
}  // namespace

bool register_command(const Command& command) {
  registry().push_back(command);
  return true;
}

const std::vector<Command>& registered_commands() { return registry(); }

namespace {
// `--threads N` is accepted by every command, so it is taken out here.
void take_threads_option(std::vector<std::string>& args) {
  auto it = std::find(args.begin(), args.end(), "--threads");
  if (it == args.end()) return;
  if (it + 1 == args.end()) throw beamscope::Error("--threads needs a number.");
  const std::string value = *(it + 1);
  std::size_t used = 0;
  int n = 0;
  try {
    n = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size()) {
    throw beamscope::Error("--threads needs a whole number, not '" + value + "'.");
  }
  beamscope::ThreadPool::set_shared_threads(n);
  args.erase(it, it + 2);
}

// `--float-activations`, also for every command: the GGUF loader reads the
// switch from the environment when it packs the weights (see
// core/model/README.md, "Integer products").
void take_float_activations_option(std::vector<std::string>& args) {
  auto it = std::find(args.begin(), args.end(), "--float-activations");
  if (it == args.end()) return;
  ::setenv("BEAMSCOPE_GGUF_FLOAT_ACTIVATIONS", "1", 1);
  args.erase(it);
}
}  // namespace

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
    std::cout << "  --threads N          threads for the model (default: the physical cores)\n"
                 "  --float-activations  GGUF quantized products on float activations\n";
    return 0;
  }
  try {
    take_threads_option(rest);
    take_float_activations_option(rest);
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
