#pragma once

// EXPECT_ERROR_CONTAINS(statement, needle): `statement` must throw a
// beamscope::Error whose message contains `needle`; no error, or another
// message, is a test failure (and the test goes on).
#include <gtest/gtest.h>

#include <functional>
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

namespace beamscope::test {

// The message of the beamscope::Error that `f` throws, or "(no error)": for
// tests that compare whole sentences.
inline std::string error_message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace beamscope::test
