#pragma once

#include <gtest/gtest.h>

#include "common/reference_policy.h"

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
