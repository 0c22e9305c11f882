#pragma once

#include <string>
#include <vector>

namespace beamscope::test {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the real beamscope-cli with `args` (each passed as one argument).
CliResult run_cli(const std::vector<std::string>& args);

// Runs `program` with `args`, with the environment variables named in
// `unset_env` removed (e.g. DISPLAY, to run as on a machine without one).
CliResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::vector<std::string>& unset_env = {});

}  // namespace beamscope::test
