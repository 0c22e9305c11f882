#pragma once

#include <stdexcept>
#include <string>

namespace beamscope {

// Every user-facing failure in the core. The message is one complete sentence
// that names the file or input and says what is wrong with it, so the CLI can
// print it as-is and the GUI can show it in a message box.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown when a ProgressFn returned false: the user stopped the operation.
class Cancelled : public Error {
 public:
  Cancelled() : Error("The operation was cancelled.") {}
};

}  // namespace beamscope
