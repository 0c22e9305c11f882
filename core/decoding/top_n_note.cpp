#include "decoding/top_n_note.h"

#include <cstdio>

namespace beamscope {

namespace {

std::string unknown_share(double mass) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f%% of the mass unknown", 100.0 * mass);
  return buf;
}

}  // namespace

std::string top_n_note(const NextTokenDistribution& next) {
  if (next.known <= 0) return {};
  return "top " + std::to_string(next.known) + " tokens known; " + unknown_share(next.unknown_mass);
}

std::string top_n_stage_note(const NextTokenDistribution& next, std::string_view stage) {
  if (next.known <= 0) return {};
  return std::string(stage) + " over the " + std::to_string(next.known) + " known tokens; " +
         unknown_share(next.unknown_mass);
}

}  // namespace beamscope
