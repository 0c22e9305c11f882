#pragma once

#include <cstdlib>
#include <string_view>

namespace beamscope::test {

// tests/run.sh (and so CI) installs every reference the suite compares
// against (PyTorch, the bundled model, node, the fetched GPT-2 vocabulary)
// and sets BEAMSCOPE_REQUIRE_REFERENCES=1: there a missing reference means
// the suite did not check what it claims, which is a failure. A developer
// running one test binary by hand gets a visible skip instead. The macros
// that apply this are BEAMSCOPE_REFERENCE_MISSING (GoogleTest,
// require_reference.h) and BEAMSCOPE_REFERENCE_MISSING_QT (Qt Test,
// require_reference_qt.h).
inline bool references_required() {
  const char* value = std::getenv("BEAMSCOPE_REQUIRE_REFERENCES");
  return value != nullptr && std::string_view(value) == "1";
}

}  // namespace beamscope::test
