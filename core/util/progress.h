#pragma once

#include <functional>
#include <string_view>

namespace beamscope {

// Progress report from a slow core operation (loading, decoding). `fraction`
// is in [0, 1]; returning false asks the operation to stop as soon as it can
// (it then throws beamscope::Cancelled). No Qt types: the UI adapts this.
using ProgressFn = std::function<bool(double fraction, std::string_view what)>;

}  // namespace beamscope
