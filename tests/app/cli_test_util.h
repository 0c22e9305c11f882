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

}  // namespace beamscope::test
