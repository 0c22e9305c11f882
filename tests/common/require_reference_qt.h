#pragma once

#include <QtTest>

#include "common/reference_policy.h"

// The Qt Test form of BEAMSCOPE_REFERENCE_MISSING (common/require_reference.h):
// use it in a test slot (it returns from it) where a reference the test
// compares against (the bundled model, ...) is missing. `message` is a
// string literal.
#define BEAMSCOPE_REFERENCE_MISSING_QT(message)                                                   \
  do {                                                                                            \
    if (::beamscope::test::references_required()) {                                               \
      QFAIL("A reference the suite needs is missing (BEAMSCOPE_REQUIRE_REFERENCES=1): " message); \
    } else {                                                                                      \
      QSKIP("Skipping: " message);                                                                \
    }                                                                                             \
  } while (0)
