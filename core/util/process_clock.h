#pragma once

namespace beamscope {

// Milliseconds since the kernel started this process, so exec, dynamic
// linking and library start-up count too (the app's cold-start time,
// `beamscope --time-first-tree`). -1 where that is unavailable (not Linux).
double ms_since_process_start();

}  // namespace beamscope
