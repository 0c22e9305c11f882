#pragma once

// EXPECT_ERROR_CONTAINS(statement, needle): `statement` must throw a
// beamscope::Error whose message contains `needle`; no error, or another
// message, is a test failure (and the test goes on).
#include <gtest/gtest.h>

#include <string>

#include "util/error.h"

#define EXPECT_ERROR_CONTAINS(statement, needle)                                    \
  do {                                                                              \
    try {                                                                           \
      statement;                                                                    \
      ADD_FAILURE() << "no error from " #statement;                                 \
    } catch (const ::beamscope::Error& e) {                                         \
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what(); \
    }                                                                               \
  } while (0)
