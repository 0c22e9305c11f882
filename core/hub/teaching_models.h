#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace beamscope::hub {

// Small models that suit a lecture, offered by File › Get Model…: each runs
// on a laptop CPU and is a family Beamscope reads. `download_bytes` is what
// the default file set (download_repo without --include) weighs, rounded;
// gated ones need the licence accepted on the Hub and a token.
struct TeachingModel {
  std::string repo_id;
  std::string about;  // one line: size and why it is on the list
  std::uint64_t download_bytes = 0;
  bool gated = false;
};

const std::vector<TeachingModel>& teaching_models();

}  // namespace beamscope::hub
