#include "util/process_clock.h"

#include <fstream>
#include <string>

#if defined(__linux__)
#include <unistd.h>

#include <ctime>
#endif

namespace beamscope {

double ms_since_process_start() {
#if defined(__linux__)
  // /proc/self/stat field 22 is the start time in clock ticks since boot.
  std::ifstream stat("/proc/self/stat");
  std::string line;
  if (!std::getline(stat, line)) return -1;
  // Count fields after the ")" that closes the command name (which may
  // itself hold spaces); the state is field 3.
  std::size_t at = line.rfind(')');
  if (at == std::string::npos) return -1;
  at += 2;
  for (int field = 3; field < 22 && at != std::string::npos; ++field) {
    at = line.find(' ', at);
    if (at != std::string::npos) ++at;
  }
  if (at == std::string::npos) return -1;
  double start_ticks = 0;
  try {
    start_ticks = std::stod(line.substr(at));
  } catch (const std::exception&) {
    return -1;
  }
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return 1e3 * static_cast<double>(now.tv_sec) + 1e-6 * static_cast<double>(now.tv_nsec) -
         1e3 * start_ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
#else
  return -1;
#endif
}

}  // namespace beamscope
