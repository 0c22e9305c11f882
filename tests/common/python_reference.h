#pragma once

// Whether the independent Python reference can run: the suites that compare
// with a PyTorch / numpy reference ask this before they write their cases.
#include <cstdlib>
#include <string>

namespace beamscope::test {

// "" when `BEAMSCOPE_PYTHON -c 'import MODULES'` succeeds; otherwise the
// reason, worded for BEAMSCOPE_REFERENCE_MISSING ("… with torch is not available").
inline std::string python_lacks(const std::string& modules) {
  const std::string python = BEAMSCOPE_PYTHON;
  const std::string command = python + " -c 'import " + modules + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) == 0) return {};
  return python + " with " + modules + " is not available";
}

}  // namespace beamscope::test
