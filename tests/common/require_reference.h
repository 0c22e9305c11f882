#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace beamscope::test {

// tests/run.sh (and so CI) installs every reference the suite compares
// against (PyTorch, the bundled model, node) and sets
// BEAMSCOPE_REQUIRE_REFERENCES=1: there a missing reference means the suite
// did not check what it claims, which is a failure. A developer running one
// test binary by hand gets a visible skip instead.
inline bool references_required() {
  const char* value = std::getenv("BEAMSCOPE_REQUIRE_REFERENCES");
  return value != nullptr && std::string_view(value) == "1";
}

}  // namespace beamscope::test

// Use in a test body (it returns from it) where an independent reference
// (python3 + torch, node, a fetched file, the bundled model) is missing.
#define BEAMSCOPE_REFERENCE_MISSING(message)                                                      \
  do {                                                                                            \
    if (::beamscope::test::references_required()) {                                               \
      GTEST_FAIL() << "A reference the suite needs is missing (BEAMSCOPE_REQUIRE_REFERENCES=1): " \
                   << message;                                                                    \
    } else {                                                                                      \
      GTEST_SKIP() << "Skipping: " << message;                                                    \
    }                                                                                             \
  } while (0)
